namespace DisaggServing.Engine.Simulation;

/// <summary>
/// A decode engine's requests handed over whose blocks are not allocated yet, in hand-off order. Admission is FIFO,
/// so they leave mostly from the front of a queue that an overloaded engine holds thousands deep: a removal leaves a
/// hole the head steps over (a list's RemoveAt moved the whole queue each time, a twentieth of an overloaded run),
/// and holes are squeezed out only when the array fills.
/// </summary>
internal sealed class AdmissionQueue
{
    private const int Hole = -1;
    private int[] _slots = new int[16];
    private int _head, _tail;

    /// <summary>Requests queued.</summary>
    public int Count { get; private set; }

    /// <summary>The first slot to scan (a request or a hole).</summary>
    public int Head => _head;

    /// <summary>One past the last slot in use.</summary>
    public int Tail => _tail;

    /// <summary>The request in <paramref name="slot"/>, or a negative number for a hole.</summary>
    public int this[int slot] => _slots[slot];

    public void Add(int request)
    {
        if (request < 0) throw new ArgumentOutOfRangeException(nameof(request), request, "A request index is never negative.");
        if (_tail == _slots.Length) MakeRoom();
        _slots[_tail++] = request;
        Count++;
    }

    /// <summary>Removes the request in <paramref name="slot"/>; slots of the others stay where they are until the next <see cref="Add"/>.</summary>
    public void RemoveAt(int slot)
    {
        _slots[slot] = Hole;
        Count--;
        while (_head < _tail && _slots[_head] == Hole) _head++;
        if (_head == _tail) _head = _tail = 0;
    }

    // Squeezes the holes out, in order; doubles the array when over half of it is still in use.
    private void MakeRoom()
    {
        var target = Count > _slots.Length / 2 ? new int[_slots.Length * 2] : _slots;
        var n = 0;
        for (var i = _head; i < _tail; i++)
            if (_slots[i] != Hole) target[n++] = _slots[i];
        _slots = target;
        _head = 0;
        _tail = n;
    }
}
