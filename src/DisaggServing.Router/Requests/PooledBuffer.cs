using System.Buffers;

namespace DisaggServing.Router.Requests;

/// <summary>A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/>; also an <see cref="IBufferWriter{T}"/>.</summary>
public sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _array;
    private int _length;

    /// <summary>A buffer of at least <paramref name="capacity"/> bytes.</summary>
    public PooledBuffer(int capacity = 4096) => _array = ArrayPool<byte>.Shared.Rent(Math.Max(256, capacity));

    /// <summary>The bytes written.</summary>
    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, _length);

    /// <summary>Number of bytes written.</summary>
    public int Length => _length;

    /// <inheritdoc />
    public void Advance(int count) => _length += count;

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_length);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_length);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, []);
        if (array.Length > 0) ArrayPool<byte>.Shared.Return(array);
    }

    private void Ensure(int sizeHint)
    {
        var need = _length + Math.Max(sizeHint, 1);
        if (need <= _array.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(need, _array.Length * 2));
        _array.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
    }
}
