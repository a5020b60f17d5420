namespace DisaggServing.Router.FlowControl;

/// <summary>A dispatched request's place: disposing it (once the response ends) gives the place to the next waiter.</summary>
public sealed class FlowLease : IDisposable
{
    private FlowController? _owner;

    internal FlowLease(FlowController? owner) => _owner = owner;

    /// <summary>The lease of a request flow control does not track (flow control off).</summary>
    public static FlowLease None { get; } = new(null);

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release();
}
