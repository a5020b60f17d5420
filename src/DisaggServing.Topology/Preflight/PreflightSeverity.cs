namespace DisaggServing.Topology.Preflight;

/// <summary>How bad a finding is.</summary>
public enum PreflightSeverity
{
    /// <summary>The topology would not run as written: run and publish refuse it.</summary>
    Error,

    /// <summary>It would run, but probably not as intended.</summary>
    Warning,
}
