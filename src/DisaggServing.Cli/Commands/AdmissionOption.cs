using System.CommandLine;
using DisaggServing.Engine;
using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Cli.Commands;

/// <summary><c>--admission reserve-full|on-demand</c>, the CLI spelling of <see cref="AdmissionPolicy"/>.</summary>
internal static class AdmissionOption
{
    public const string ReserveFull = "reserve-full";
    public const string OnDemand = "on-demand";

    /// <summary>The option; each verb keeps its own default (TensorRT-LLM's for estimate, vLLM's for simulate).</summary>
    /// <remarks>Nullable, so help shows the CLI spelling of the default rather than the enum name.</remarks>
    public static Option<AdmissionPolicy?> Create(AdmissionPolicy defaultValue) => CliOptions.Parsed<AdmissionPolicy?>("--admission",
        $"How the scheduler admits requests: {ReserveFull} (TensorRT-LLM, never preempts) or {OnDemand} (vLLM) [default: {Name(defaultValue)}].",
        $"{ReserveFull}|{OnDemand}", text => Parse(text));

    public static AdmissionPolicy Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        ReserveFull => AdmissionPolicy.ReserveFull,
        OnDemand => AdmissionPolicy.OnDemand,
        _ => throw new InputException($"--admission '{text}' is not known; use {ReserveFull} or {OnDemand}."),
    };

    public static string Name(AdmissionPolicy policy) => policy == AdmissionPolicy.ReserveFull ? ReserveFull : OnDemand;
}
