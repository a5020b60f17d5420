namespace DisaggServing.Protocol.OpenAi;

/// <summary><c>GET /v1/models</c> response.</summary>
public sealed record ModelList(IReadOnlyList<ModelCard> Data)
{
    /// <summary>OpenAI object type.</summary>
    public string Object => "list";
}
