using System.Text.RegularExpressions;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// The engine release a figure's source states, which its command then says with <c>--engine-version</c>, as a user
/// who knows their release would: the release's own defaults (<see cref="ReleaseDefaults"/>) stand in for the flags they
/// imply, and only what the figure ran differently is printed. Every source name that states a release leads with the
/// engine and it ("vLLM 0.11.0, …", "TensorRT-LLM v0.13 perf overview …") or names it in parentheses ("SGLang cookbook,
/// Qwen3 (sglang 0.5.6)", "… (v0.19.1)"). NIM's figures say NIM's own release where they are built (<c>--engine nim
/// --engine-version</c>, <see cref="Performance.ReleaseDefaults.ForNim"/>).
/// </summary>
internal static partial class StatedRelease
{
    /// <summary><paramref name="point"/> with the release its source states, where it states one for the figure's engine.</summary>
    public static CalibrationPoint Apply(CalibrationPoint point)
    {
        var engine = point.Options.Engine;
        if (engine.Release is not null || Of(point.Source, engine.Engine.Engine) is not { } release) return point;
        // TensorRT-LLM before 0.20 scheduled synchronously (the PyTorch backend's overlap scheduler came on by default in
        // 0.20; a TensorRT engine's executor always does), and SGLang 0.5.4-0.5.13 a linear-attention hybrid served from
        // its radix cache (ReleaseDefaults.SglangHybridsSynchronous) and before 0.5.13 its EAGLE and MTP drafting
        // (ReleaseDefaults.SglangSpeculationSynchronous), as the release's own defaults say. vLLM's figures
        // state their scheduling themselves.
        var synchronous = engine.SynchronousScheduling
            || (engine.Engine.Engine is ServingEngine.Trtllm or ServingEngine.Sglang
                && ReleaseDefaults.For(engine.Engine.Engine, release, engine.Gpu, engine.Model, engine.WeightDtype, speculative: engine.Speculative?.Method).SynchronousScheduling);
        return point with { Options = point.Options with { Engine = engine with { Release = release, SynchronousScheduling = synchronous } } };
    }

    /// <summary>The release of <paramref name="engine"/> that <paramref name="source"/> names, or null.</summary>
    public static EngineRelease? Of(string source, ServingEngine engine)
    {
        ArgumentNullException.ThrowIfNull(source);
        var match = Leading().Match(source);
        if (!match.Success) match = Parenthesized().Match(source);
        if (!match.Success) return null;
        var named = match.Groups["engine"].Value.ToLowerInvariant() switch
        {
            "vllm" or "" => ServingEngine.Vllm,
            "tensorrt-llm" => ServingEngine.Trtllm,
            _ => ServingEngine.Sglang,
        };
        // "(v0.19.1)" names no engine: the vLLM blog's, whose source leads with vLLM.
        if (match.Groups["engine"].Value.Length == 0 && !source.StartsWith("vLLM", StringComparison.Ordinal)) return null;
        return named == engine ? EngineRelease.Parse(match.Groups["release"].Value, "source release") : null;
    }

    [GeneratedRegex(@"^(?<engine>vLLM|TensorRT-LLM|SGLang) (?<release>v?\d+\.\d+(?:\.\d+)?(?:[.-]?(?:rc|post)\d*)*)[ ,]")]
    private static partial Regex Leading();

    [GeneratedRegex(@"\((?:(?<engine>sglang|vllm) )?(?<release>v?\d+\.\d+(?:\.\d+)?(?:[.-]?(?:rc|post)\d*)*)[,)]")]
    private static partial Regex Parenthesized();
}
