using System.CommandLine;
using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// <c>--engine vllm|sglang|trtllm|nim</c> and <c>--profile FILE</c>: which engine's semantics and costs to model, and a
/// fitted profile to replace its built-in constants. Shared by every verb that models an engine (estimate,
/// simulate, plan); each verb makes its own options (a System.CommandLine option belongs to one command).
/// </summary>
internal sealed class EngineProfileOption
{
    /// <summary>The engine every verb defaults to: the one our manifests run.</summary>
    public const ServingEngine Default = ServingEngine.Vllm;

    public Option<ServingEngine?> Engine { get; } = CliOptions.Parsed<ServingEngine?>("--engine",
        "Serving engine to model: vllm, sglang, trtllm or nim (scheduler defaults, CUDA graphs, host and server costs, KV dtype; tensorrt-llm names trtllm too; nim is NVIDIA NIM for LLMs: TensorRT-LLM as NIM's release runs it, the TensorRT engines of its optimized profiles before 1.15 and without a release, the PyTorch backend from 1.15; its --engine-version, or a nvcr.io/nim/…:TAG --model's tag, is NIM's release; trtllm with a --model by NIM's name, meta/llama3-8b-instruct, models NIM too) [default: vllm].",
        "vllm|sglang|trtllm|nim", text => EngineProfiles.Parse(text, "--engine"));

    public Option<EngineRelease?> Version { get; } = CliOptions.Parsed<EngineRelease?>("--engine-version",
        "The engine's release, as its pages and pip name it (vllm 0.11.0, TensorRT-LLM v0.13, 1.2.0rc1): the defaults that release ran with, each still overridden by its own flag: vLLM before 0.8 its V0 engine, before 0.14 synchronous scheduling and MiniMax-M2's q and k normalized apart (two all-reduces a layer), before 0.11.1 MXFP4 experts on Hopper through Marlin, before 0.18 MiniMax-M2's block-FP8 experts on Blackwell through Triton's fused_moe, before 0.17 a 35 ms chat template on a chat request's first token (8 ms from 0.17); TensorRT-LLM before 1.0 TensorRT engines, before 0.21 Llama 4 without chunked attention; SGLang 0.5.4-0.5.13 synchronous scheduling for a linear-attention hybrid served from its radix cache and 3 of its state pool's slots a running request (5 from 0.5.14; before the radix cache served hybrids, a pool of 512), before 0.5.7 MiniMax-M2's q and k normalized apart, before 0.5.3 an unset memory fraction from a reserve by the GPU's memory class (9.5 GiB + 0.5 a rank below 90 GiB); under --engine nim, NIM's release: before 1.1 the TensorRT-LLM 0.10 engines NIM 1.0 shipped, multi-block mode off and 32768-token steps, from 1.15 TensorRT-LLM's PyTorch backend [default: the engine as it runs today; under --engine nim the tag of a nvcr.io/nim/… --model, else the TensorRT engines of NIM 1.1-1.14, which its published benchmarks ran].",
        "X.Y[.Z]", text => EngineRelease.Parse(text, "--engine-version"));

    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = "Profile file written by 'disagg calibrate --fit': fitted constants for this GPU and engine.",
        HelpName = "FILE",
    };

    /// <summary>Options with <paramref name="profileDescription"/> as --profile's help, for a verb that applies it differently.</summary>
    public EngineProfileOption(string? profileDescription = null)
    {
        if (profileDescription is not null) Profile.Description = profileDescription;
    }

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Engine);
        command.Add(Version);
        command.Add(Profile);
    }

    /// <summary>
    /// True when <c>--engine</c> named NIM (<see cref="EngineProfiles.NamesNim"/>), or named TensorRT-LLM while
    /// <paramref name="model"/> was given by a name only NIM uses (<see cref="ModelCatalog.IsNimName"/>: NIM's
    /// TensorRT-LLM is what serves that name): NIM's release implies its backend (<see cref="ReleaseDefaults.ForNim"/>).
    /// </summary>
    public bool NamesNim(ParseResult parse, Option? model = null) =>
        parse.GetResult(Engine)?.Tokens is [var token]
        && (EngineProfiles.NamesNim(token.Value) || parse.GetValue(Engine) == ServingEngine.Trtllm && NimNamed(parse, model) is not null);

    /// <summary>The <paramref name="model"/> given, when NIM alone names a model so (<see cref="ModelCatalog.IsNimName"/>); null otherwise.</summary>
    private static string? NimNamed(ParseResult parse, Option? model) =>
        model is not null && parse.GetResult(model)?.Tokens is [var named] && ModelCatalog.IsNimName(named.Value) ? named.Value : null;

    /// <summary>
    /// The note for stderr when <c>--engine trtllm</c> models NIM because <paramref name="model"/> was given by NIM's
    /// name (<see cref="NamesNim"/>); null otherwise.
    /// </summary>
    public string? NimByNameNote(ParseResult parse, Option model) =>
        parse.GetResult(Engine)?.Tokens is [var token] && !EngineProfiles.NamesNim(token.Value) && NamesNim(parse, model)
            ? $"note: --model {NimNamed(parse, model)} is NIM's name for the model, so --engine {token.Value} models TensorRT-LLM as NIM serves it, as --engine nim does (NIM's release picks the backend, genai-perf's steady state is measured); to model TensorRT-LLM's own trtllm-serve, give the Hugging Face id."
            : null;

    /// <summary>
    /// The <c>--engine-version</c> given: NIM's own release under <c>--engine nim</c> (<see cref="ReleaseDefaults.ForNim"/>),
    /// where, without the flag, a NIM container reference given to <paramref name="model"/> states it by its tag
    /// (<c>nvcr.io/nim/meta/llama3-8b-instruct:1.0.3</c>, <see cref="ReleaseDefaults.NimRelease"/>), or the model was
    /// served by one line of NIM releases only (<see cref="ReleaseDefaults.NimServing"/>); null otherwise.
    /// </summary>
    public EngineRelease? Release(ParseResult parse, Option? model = null)
    {
        if (parse.GetValue(Version) is { } given) return given;
        if (model is null || !NamesNim(parse, model) || parse.GetResult(model) is not { } named) return null;
        return (named.Tokens is [var token] ? ReleaseDefaults.NimRelease(token.Value) : null)
            ?? (model is Option<ModelSpec> resolved && parse.GetValue(resolved) is { } spec ? ReleaseDefaults.NimServing(spec) : null);
    }

    /// <summary>The engine's profile from a parse.</summary>
    public EngineProfile Resolve(ParseResult parse) => EngineProfiles.For(parse.GetValue(Engine) ?? Default);

    /// <summary>
    /// The <c>--profile</c> file's GPU and constants, for a verb that models several GPUs (plan); null without
    /// <c>--profile</c>. The file must have been fitted on <paramref name="engine"/>.
    /// </summary>
    public (GpuSpec Gpu, PerformanceConstants Constants, string Path)? Fitted(ParseResult parse, EngineProfile engine)
    {
        if (parse.GetValue(Profile) is not { } path) return null;
        var file = ProfileFile.Load(path);
        if (EngineProfiles.Parse(file.Engine, $"{path}: engine") != engine.Engine)
            throw new InputException($"Profile file '{path}' was fitted with {file.Engine}, but --engine is {engine.Name}; pass --engine {file.Engine}, or fit a profile for {engine.Name}.");
        return (GpuCatalog.Get(file.Gpu, $"{path}: gpu"), file.ToConstants(path), path);
    }

    /// <summary><paramref name="spec"/> with the <c>--profile</c> file's constants, when one is given.</summary>
    public EngineSpec ApplyProfile(ParseResult parse, EngineSpec spec) =>
        parse.GetValue(Profile) is { } path ? ProfileFile.Apply(spec, path) : spec;
}
