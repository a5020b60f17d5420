namespace Aspire.Hosting.ApplicationModel;

/// <summary>How many prefill and decode URLs a router has been given, so pools added one after another get consecutive indices.</summary>
internal sealed class RouterTargetsAnnotation : IResourceAnnotation
{
    public int Prefill { get; set; }

    public int Decode { get; set; }

    /// <summary>Whether a vLLM replica is among the targets (the router was told so).</summary>
    public bool ToVllm { get; set; }
}
