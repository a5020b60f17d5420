namespace DisaggServing.Topology;

/// <summary>The OpenAI front door that schedules requests onto prefill and decode engines.</summary>
public sealed class RouterSettings
{
    /// <summary>Router image, repository and tag.</summary>
    public string Image { get; set; } = "disaggserving/router:0.1.0";

    /// <summary>Router replicas.</summary>
    public int Replicas { get; set; } = 2;

    /// <summary>HTTP port of router pods (and of its Service).</summary>
    public int Port { get; set; } = 8080;

    /// <summary>Uncached prompt tokens below which a request skips prefill and goes to decode only.</summary>
    public int DecodeOnlyThresholdTokens { get; set; } = 256;
}
