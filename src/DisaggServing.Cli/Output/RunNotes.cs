using System.Globalization;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Cli.Output;

/// <summary>
/// The notes <c>estimate</c> and <c>simulate</c> print on stderr where a run is not what a served engine would do as
/// asked: results that stand, with what explains them and the setting that changes them.
/// </summary>
internal static class RunNotes
{
    /// <summary>Requests longer than <paramref name="model"/>'s context, or null when <paramref name="longest"/> fits it (or is unknown).</summary>
    public static string? ContextExceeded(ModelSpec model, int? longest) => longest > model.MaxContext
        ? string.Create(CultureInfo.InvariantCulture,
            $"note: requests of up to {longest:N0} tokens (prompt and output) exceed {model.Id}'s {model.MaxContext:N0}-token context (max_position_embeddings): engines refuse them unless started for a longer one (vLLM --max-model-len, SGLang --context-length, TensorRT-LLM max_seq_len; RoPE scaling where the model needs it). They are run as given.")
        : null;

    /// <summary>
    /// Requests whose whole prompt waited for running ones to finish (<see cref="Engine.Scheduling.Scheduler.NumPromptsHeldForRoom"/>),
    /// or null when none did.
    /// </summary>
    public static string? PromptsHeld(long held, int stepTokens, bool trtllm) => held > 0
        ? string.Create(CultureInfo.InvariantCulture,
            $"note: {held:N0} requests waited for running ones to finish before their prompt ran (and those queued behind them waited too): without chunked prefill a prompt runs whole in one step, and the step's {stepTokens:N0} tokens held it only beside fewer running requests{(trtllm ? " (TensorRT-LLM's default: enable_chunked_prefill off)" : "")}, so their TTFTs include that wait. --chunked-prefill on, or --max-num-batched-tokens above the longest prompt plus the running requests, avoids it.")
        : null;
}
