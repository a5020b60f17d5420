namespace DisaggServing.Router.Discovery;

/// <summary>
/// The <c>Router:Revisions</c> section: routing by DisaggregatedSet revision. When <see cref="DisaggregatedSet"/> is set
/// the router lists the EndpointSlices of the set's per-revision Services (the controller publishes them once a
/// revision is ready on every role) and pairs prefill and decode engines of one revision only.
/// </summary>
public sealed class RevisionOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Router:Revisions";

    /// <summary>Name of the DisaggregatedSet; empty turns revision routing off.</summary>
    public string? DisaggregatedSet { get; set; }

    /// <summary>Namespace of the set; empty means the pod's own (its service-account namespace file).</summary>
    public string? Namespace { get; set; }

    /// <summary>How often the EndpointSlices are listed.</summary>
    public int IntervalMs { get; set; } = 2000;

    /// <summary>The Kubernetes API server, as a pod reaches it.</summary>
    public string ApiServer { get; set; } = "https://kubernetes.default.svc";

    /// <summary>Directory of the pod's service-account token, CA certificate and namespace.</summary>
    public string ServiceAccountPath { get; set; } = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>True when revision routing is on.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(DisaggregatedSet);
}
