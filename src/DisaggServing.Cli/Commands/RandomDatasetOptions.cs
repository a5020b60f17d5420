using System.CommandLine;
using System.Globalization;
using DisaggServing.Engine;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// The benchmark clients' dataset flags on <c>estimate</c>, so that a <c>vllm bench serve</c> or SGLang
/// <c>bench_serving</c> command line runs as written: <c>--dataset-name random|sharegpt</c> and
/// <c>--random-range-ratio</c>, which draws each request's lengths around <c>--random-input-len</c> and
/// <c>--random-output-len</c> (<c>--isl</c>, <c>--osl</c>) as the client named by <c>--range-ratio-client</c> does.
/// </summary>
internal sealed class RandomDatasetOptions
{
    private readonly Option<string?> datasetName = CliOptions.Parsed<string?>("--dataset-name",
        "The benchmark's dataset, as vllm bench serve and bench_serving name it: random (the lengths --isl/--osl give, drawn around them with --random-range-ratio) or sharegpt (--workload sharegpt: ShareGPT as vllm bench serve samples it; for SGLang's bench_serving, whose filter keeps longer prompts, give --workload sharegpt:MEAN_IN:MEAN_OUT:sglang at its run's means) [default: random].",
        "random|sharegpt", text => text.Trim().ToLowerInvariant() is var name && name is "random" or "sharegpt"
            ? name
            : throw new InputException($"--dataset-name '{text}' is not modelled; use random (with --isl and --osl) or sharegpt, or give the lengths as --workload (e.g. uniform:1-1024:1-1024)."));

    private readonly Option<double?> rangeRatio = CliOptions.Parsed<double?>("--random-range-ratio",
        "Draw each request's lengths around --isl and --osl as the benchmark's random dataset does: vllm bench serve (and TensorRT-LLM's benchmark_serving) from ⌊L·(1−R)⌋ to ⌈L·(1+R)⌉, 0 ≤ R < 1; SGLang's bench_serving (and InferenceMAX's client) from ⌊L·R⌋ to L, 0 ≤ R ≤ 1, so 0 draws from 1 to L; which one, --range-ratio-client says [default: every request at --isl/--osl].",
        "R", text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1
            ? r
            : throw new InputException($"--random-range-ratio '{text}' is not a number from 0 to 1 (e.g. 0.8)."));

    private readonly Option<BenchmarkClient?> client = CliOptions.Parsed<BenchmarkClient?>("--range-ratio-client",
        "The benchmark client whose --random-range-ratio this is: vllm (vllm bench serve, TensorRT-LLM's benchmark_serving) or sglang (SGLang's bench_serving, InferenceMAX's) [default: sglang with --engine sglang, else vllm].",
        "vllm|sglang", text => text.Trim().ToLowerInvariant() switch
        {
            "vllm" => BenchmarkClient.Vllm,
            "sglang" => BenchmarkClient.Sglang,
            _ => throw new InputException($"--range-ratio-client '{text}' is not known; use vllm or sglang."),
        });

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(datasetName);
        command.Add(rangeRatio);
        command.Add(client);
    }

    /// <summary>
    /// The workload the dataset flags make of <paramref name="input"/>, <paramref name="output"/> and
    /// <paramref name="workload"/> (what --isl, --osl and --workload gave): unchanged without them, ShareGPT for
    /// <c>--dataset-name sharegpt</c>, and with <c>--random-range-ratio</c> the client's ranges around the lengths, which
    /// then no longer count as fixed (null). The client defaults to <paramref name="engine"/>'s own benchmark's.
    /// </summary>
    /// <exception cref="InputException">The flags contradict each other or the lengths.</exception>
    public (int? Input, int? Output, WorkloadSpec? Workload) Apply(ParseResult parse, ServingEngine engine, int? input, int? output, WorkloadSpec? workload)
    {
        var ratio = parse.GetValue(rangeRatio);
        var named = parse.GetValue(client);
        if (named is not null && ratio is null)
            throw new InputException("--range-ratio-client says whose --random-range-ratio to follow; give --random-range-ratio R with it.");
        if (parse.GetValue(datasetName) == "sharegpt")
        {
            if (input is not null || output is not null || workload is not null || ratio is not null)
                throw new InputException("--dataset-name sharegpt draws ShareGPT's own lengths; leave out --isl, --osl, --workload and --random-range-ratio (or give sharegpt:MEAN_IN:MEAN_OUT as --workload for a run's means).");
            return (null, null, WorkloadSpec.ShareGpt);
        }
        if (ratio is not { } r) return (input, output, workload);
        if (workload is not null)
            throw new InputException($"--random-range-ratio draws around --isl and --osl; --workload {workload} already gives the lengths, so give its ranges there or leave it out.");
        if (input is not { } isl || output is not { } osl)
            throw new InputException("--random-range-ratio draws around the lengths: give --isl N and --osl N (--random-input-len, --random-output-len) with it.");
        var ranges = UniformLengths.FromRangeRatio(isl, osl, r, named ?? (engine == ServingEngine.Sglang ? BenchmarkClient.Sglang : BenchmarkClient.Vllm));
        return (null, null, WorkloadSpec.Uniform(ranges));
    }
}
