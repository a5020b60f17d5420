using System.CommandLine;
using DisaggServing.Engine;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// <c>--engine vllm|sglang|trtllm</c> and <c>--profile FILE</c>: which engine's semantics and costs to model, and a
/// fitted profile to replace its built-in constants. Shared by every verb that models an engine (estimate,
/// simulate, plan); each verb makes its own options (a System.CommandLine option belongs to one command).
/// </summary>
internal sealed class EngineProfileOption
{
    /// <summary>The engine every verb defaults to: the one our manifests run.</summary>
    public const ServingEngine Default = ServingEngine.Vllm;

    public Option<ServingEngine?> Engine { get; } = CliOptions.Parsed<ServingEngine?>("--engine",
        "Serving engine to model: vllm, sglang or trtllm (scheduler defaults, CUDA graphs, host and server costs, KV dtype) [default: vllm].",
        "vllm|sglang|trtllm", text => EngineProfiles.Parse(text, "--engine"));

    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = "Profile file written by 'disagg calibrate --fit': fitted constants for this GPU and engine.",
        HelpName = "FILE",
    };

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Engine);
        command.Add(Profile);
    }

    /// <summary>The engine's profile from a parse.</summary>
    public EngineProfile Resolve(ParseResult parse) => EngineProfiles.For(parse.GetValue(Engine) ?? Default);

    /// <summary><paramref name="spec"/> with the <c>--profile</c> file's constants, when one is given.</summary>
    public EngineSpec ApplyProfile(ParseResult parse, EngineSpec spec) =>
        parse.GetValue(Profile) is { } path ? ProfileFile.Apply(spec, path) : spec;
}
