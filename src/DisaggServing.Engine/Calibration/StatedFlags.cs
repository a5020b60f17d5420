namespace DisaggServing.Engine.Calibration;

/// <summary>
/// Which flags of a printed <c>disagg estimate</c> command a published figure's setup states, and which the calibration
/// derived from the benchmark's configuration or the engine's internals: batch limits, kernel and backend choices, the
/// KV format, the memory fraction, the measure window, the cached prompts, the endpoint. <c>calibrate --stated-only</c>
/// drops the derived ones, leaving model, GPU, parallelism, weight format, engine and release, lengths and load, to
/// measure how far the defaults alone carry a figure.
/// </summary>
public static class StatedFlags
{
    /// <summary>The derived flags; each takes one value.</summary>
    public static IReadOnlySet<string> Derived { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "--max-num-seqs", "--max-num-batched-tokens", "--cuda-graph-max", "--chunked-prefill", "--mixed-chunk", "--moe-backend", "--allreduce-fusion",
        "--trtllm-backend", "--multi-block-mode", "--xqa", "--vllm-engine", "--async-scheduling", "--chunked-attention",
        "--gpu-memory-utilization", "--kv-cache-dtype", "--measure", "--warm-prompts", "--endpoint", "--admission",
        "--attention-dp-balance",
    };

    /// <summary>The flag that names the engine's release (<c>calibrate --without-release</c> drops it).</summary>
    public const string Release = "--engine-version";

    /// <summary><paramref name="args"/> without <see cref="Release"/> and its value: the engine as it runs today.</summary>
    public static string[] WithoutRelease(IReadOnlyList<string> args) => Drop(args, flag => flag == Release);

    /// <summary><paramref name="args"/> without the derived flags and their values.</summary>
    public static string[] Keep(IReadOnlyList<string> args) => Drop(args, Derived.Contains);

    // The arguments less each flag that `drop` names, with the value that follows it (every such flag takes one).
    private static string[] Drop(IReadOnlyList<string> args, Func<string, bool> drop)
    {
        ArgumentNullException.ThrowIfNull(args);
        var kept = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            if (drop(args[i])) i++;
            else kept.Add(args[i]);
        }
        return [.. kept];
    }
}
