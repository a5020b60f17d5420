namespace DisaggServing.Engine.Scheduling;

/// <summary>FCFS waiting queue with push-front for preempted requests: a ring buffer, no per-op allocation.</summary>
internal sealed class RequestQueue
{
    private EngineRequest?[] _items = new EngineRequest?[64];
    private int _head;

    public int Count { get; private set; }

    public EngineRequest this[int index] => _items[(_head + index) & (_items.Length - 1)]!;

    public EngineRequest PeekFront() => _items[_head]!;

    public void PushBack(EngineRequest request)
    {
        Grow();
        _items[(_head + Count) & (_items.Length - 1)] = request;
        Count++;
    }

    public void PushFront(EngineRequest request)
    {
        Grow();
        _head = (_head - 1) & (_items.Length - 1);
        _items[_head] = request;
        Count++;
    }

    public EngineRequest PopFront()
    {
        var request = _items[_head]!;
        _items[_head] = null;
        _head = (_head + 1) & (_items.Length - 1);
        Count--;
        return request;
    }

    /// <summary>Removes <paramref name="request"/> wherever it is, keeping order (O(n): aborts only).</summary>
    public bool Remove(EngineRequest request)
    {
        var mask = _items.Length - 1;
        for (var i = 0; i < Count; i++)
        {
            if (!ReferenceEquals(_items[(_head + i) & mask], request))
                continue;
            for (var j = i; j < Count - 1; j++)
                _items[(_head + j) & mask] = _items[(_head + j + 1) & mask];
            _items[(_head + Count - 1) & mask] = null;
            Count--;
            return true;
        }
        return false;
    }

    /// <summary>Moves the requests <paramref name="first"/> holds true for ahead of the others, each group in its order (O(n)).</summary>
    public void StablePartition(Func<EngineRequest, bool> first)
    {
        // The ones that stay behind wait in a scratch list kept between calls; the others move up in place.
        var behind = _partitionScratch ??= [];
        behind.Clear();
        var mask = _items.Length - 1;
        var k = 0;
        for (var i = 0; i < Count; i++)
        {
            var request = this[i];
            if (first(request)) _items[(_head + k++) & mask] = request;
            else behind.Add(request);
        }
        foreach (var request in behind) _items[(_head + k++) & mask] = request;
        behind.Clear();
    }

    private List<EngineRequest>? _partitionScratch;

    private void Grow()
    {
        if (Count < _items.Length)
            return;
        // Capacity stays a power of two so indexing is a mask.
        var bigger = new EngineRequest?[_items.Length * 2];
        for (var i = 0; i < Count; i++)
            bigger[i] = this[i];
        _items = bigger;
        _head = 0;
    }
}
