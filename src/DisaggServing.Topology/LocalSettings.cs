using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Topology;

/// <summary>
/// Knobs of a local run only (the AppHost's simulated Worker processes, or real vLLM processes); publishing ignores
/// them. The KV lease comes from <see cref="KvTransferSettings.LeaseSeconds"/>, which a local run and the cluster share.
/// </summary>
public sealed class LocalSettings
{
    /// <summary>What runs each replica: the simulated Worker (default) or a real <c>vllm serve</c> on local GPUs.</summary>
    public LocalEngine Engine { get; set; } = LocalEngine.Simulated;

    /// <summary>
    /// How to start vLLM when <see cref="Engine"/> is <see cref="LocalEngine.Vllm"/>: a command on PATH or a path, with
    /// leading arguments if needed (<c>uv run vllm</c>, <c>/opt/venv/bin/vllm</c>); <c>serve</c> and the pool's flags follow.
    /// </summary>
    public string VllmCommand { get; set; } = "vllm";

    /// <summary>Fraction of the real KV bytes the simulated workers materialize and move (1/2048 by default, so a laptop can).</summary>
    public double KvPayloadScale { get; set; } = 1.0 / 2048;

    /// <summary>Simulated seconds per wall-clock second (2 runs the modelled GPUs twice as fast).</summary>
    public double SpeedFactor { get; set; } = 1.0;

    /// <summary>Profile file from <c>disagg calibrate --fit</c> the simulated workers take their step-time constants from ("" = built-in).</summary>
    public string Profile { get; set; } = "";

    /// <summary>What a decode worker does when pulling KV fails: recompute the prompt locally, or fail the request (vLLM's kv_load_failure_policy).</summary>
    public KvLoadFailurePolicy KvLoadFailurePolicy { get; set; } = KvLoadFailurePolicy.Recompute;

    /// <summary>
    /// Pack every pool onto one set of virtual nodes per instance type, so prefill and decode may share a node and its
    /// NVLink. Off by default: replicas land on the nodes they get on EKS, where each role has its own NodePool and KV
    /// moves over EFA.
    /// </summary>
    public bool ShareNodesAcrossRoles { get; set; }
}
