namespace DisaggServing.Protocol.OpenAi;

/// <summary>One entry of <c>/v1/models</c>.</summary>
public sealed record ModelCard(string Id, long Created, string OwnedBy, int? MaxModelLen = null)
{
    /// <summary>OpenAI object type.</summary>
    public string Object => "model";
}
