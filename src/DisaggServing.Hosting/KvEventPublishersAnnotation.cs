namespace Aspire.Hosting.ApplicationModel;

/// <summary>How many KV-event publishers the KV-transfer service has been given, so pools added one after another get consecutive indices.</summary>
internal sealed class KvEventPublishersAnnotation : IResourceAnnotation
{
    public int Count { get; set; }
}
