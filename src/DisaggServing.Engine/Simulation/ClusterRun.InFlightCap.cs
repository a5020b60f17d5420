namespace DisaggServing.Engine.Simulation;

/// <summary>
/// An open loop's cap on requests in flight, as <c>vllm bench serve --max-concurrency</c> and bench_serving's
/// semaphore: a request arriving while the cap is reached waits, first come first served, and is sent when one
/// finishes. It is recorded as arriving when it is sent, since the benchmark's TTFT clock starts at the send.
/// </summary>
internal sealed partial class ClusterRun
{
    private readonly Queue<int> _waiting = new();
    private bool[]? _sentFromQueue;
    private int _inFlight;

    /// <summary>Most requests in flight at once in an open loop; null for no cap. Closed loop ignores it.</summary>
    public int? MaxInFlight { get; init; }

    // True when the arriving request is sent now; false when it waits for a slot.
    private bool Admit(int request)
    {
        if (MaxInFlight is not { } cap || _concurrency is not null) return true;
        if (_sentFromQueue?[request] == true) return true;
        if (_inFlight >= cap)
        {
            _waiting.Enqueue(request);
            return false;
        }
        _inFlight++;
        return true;
    }

    // A finished request frees its slot for the longest-waiting one, sent at the same moment.
    private void FreeSlot(double at)
    {
        if (MaxInFlight is null || _concurrency is not null) return;
        _inFlight--;
        if (!_waiting.TryDequeue(out var next)) return;
        (_sentFromQueue ??= new bool[_workload.Count])[next] = true;
        _inFlight++;
        Push(at, new SimEvent(SimEventKind.Arrival, -1, next));
    }
}
