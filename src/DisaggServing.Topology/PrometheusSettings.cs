namespace DisaggServing.Topology;

/// <summary>The Prometheus KEDA asks for the engines' vLLM metrics, and whether it may scrape them.</summary>
public sealed class PrometheusSettings
{
    /// <summary>Server URL the ScaledObjects' prometheus triggers query (kube-prometheus-stack's <c>prometheus-operated</c> Service by default).</summary>
    public string Address { get; set; } = "http://prometheus-operated.monitoring.svc:9090";

    /// <summary>Namespace the Prometheus server runs in: the NetworkPolicies let it reach the engines' HTTP port (<c>/metrics</c>).</summary>
    public string Namespace { get; set; } = "monitoring";

    /// <summary>Let Prometheus scrape the engines and the KV-transfer service even when no pool autoscales (it always may when one does).</summary>
    public bool Scrape { get; set; }
}
