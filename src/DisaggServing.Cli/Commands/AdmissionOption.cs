using System.CommandLine;
using DisaggServing.Engine;
using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Cli.Commands;

/// <summary><c>--admission reserve-full|on-demand</c>, the CLI spelling of <see cref="AdmissionPolicy"/>.</summary>
internal static class AdmissionOption
{
    public const string ReserveFull = "reserve-full";
    public const string OnDemand = "on-demand";

    /// <summary>The option; unset, it takes the engine profile's admission (<c>--engine</c>).</summary>
    /// <remarks>Nullable, so that unset means "the engine's".</remarks>
    public static Option<AdmissionPolicy?> Create() => CliOptions.Parsed<AdmissionPolicy?>("--admission",
        $"How the scheduler admits requests: {ReserveFull} (TensorRT-LLM, never preempts) or {OnDemand} (vLLM, SGLang) [default: the engine's].",
        $"{ReserveFull}|{OnDemand}", text => Parse(text));

    public static AdmissionPolicy Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        ReserveFull => AdmissionPolicy.ReserveFull,
        OnDemand => AdmissionPolicy.OnDemand,
        _ => throw new InputException($"--admission '{text}' is not known; use {ReserveFull} or {OnDemand}."),
    };

    public static string Name(AdmissionPolicy policy) => policy == AdmissionPolicy.ReserveFull ? ReserveFull : OnDemand;
}
