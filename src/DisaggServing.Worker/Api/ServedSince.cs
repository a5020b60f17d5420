namespace DisaggServing.Worker.Api;

/// <summary>When this worker started serving (the <c>created</c> of its model card).</summary>
public sealed class ServedSince
{
    public long UnixSeconds { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
