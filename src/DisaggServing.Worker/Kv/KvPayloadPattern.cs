using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// The bytes of one block's payload, written or checked at any offset, at memory speed. From the block's 64-bit seed
/// come a 4 KiB tile (the seed itself, then splitmix64 words of it, little-endian) and one 64-bit constant per 4 KiB
/// page (0 for page 0, splitmix64 of seed and page number after); byte <c>b</c> of the payload is
/// <c>tile[b mod 4096] XOR byte (b mod 8) of constant[b div 4096]</c>. So the payload opens with its seed: a reader
/// can check a block against the seed it carries (<see cref="FromHead"/>) before it knows whose block it should be,
/// then compare that seed with the expected one. Another engine, lease or block has another seed, hence other bytes
/// everywhere; every page of a block differs from every other; and checking compares every byte exactly, so any
/// corrupted byte is caught.
/// </summary>
public sealed class KvPayloadPattern
{
    /// <summary>Bytes per page (and per tile).</summary>
    public const int PageBytes = 4096;

    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private readonly byte[] tile;

    /// <summary>
    /// The pattern of the block whose seed is <paramref name="seed"/>, for payloads of up to <paramref name="length"/>
    /// bytes (a payload shorter than a page needs only that much of the tile).
    /// </summary>
    public KvPayloadPattern(ulong seed, int length = PageBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Seed = seed;
        tile = GC.AllocateUninitializedArray<byte>(Math.Max(8, Math.Min(PageBytes, (length + 7) & ~7)));
        BinaryPrimitives.WriteUInt64LittleEndian(tile, seed);
        var state = seed;
        for (var i = 8; i < tile.Length; i += 8)
            BinaryPrimitives.WriteUInt64LittleEndian(tile.AsSpan(i), Mix(state += Golden));
    }

    /// <summary>The block's seed (its payload's first 8 bytes, little-endian).</summary>
    public ulong Seed { get; }

    /// <summary>
    /// The seed a payload carries in its first (up to) 8 bytes, little-endian, missing bytes 0; a payload shorter than
    /// 8 bytes is all seed, so compare <see cref="HeadMask"/> of it.
    /// </summary>
    public static ulong FromHead(ReadOnlySpan<byte> payload)
    {
        Span<byte> head = stackalloc byte[8];
        head.Clear();
        payload[..Math.Min(8, payload.Length)].CopyTo(head);
        return BinaryPrimitives.ReadUInt64LittleEndian(head);
    }

    /// <summary>The bits of a seed that a payload of <paramref name="length"/> bytes holds.</summary>
    public static ulong HeadMask(long length) => length >= 8 ? ulong.MaxValue : (1UL << (int)(8 * length)) - 1;

    /// <summary>Writes payload bytes [<paramref name="offset"/>, offset + destination.Length) into <paramref name="destination"/> (within the length it was made for).</summary>
    public void Write(Span<byte> destination, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        for (var done = 0; done < destination.Length;)
        {
            var at = offset + done;
            var inPage = (int)(at % PageBytes);
            var n = Math.Min(PageBytes - inPage, destination.Length - done);
            Xor(tile.AsSpan(inPage, n), Lanes(at), destination.Slice(done, n));
            done += n;
        }
    }

    /// <summary>True when <paramref name="source"/> holds exactly payload bytes [<paramref name="offset"/>, offset + source.Length) (within the length it was made for).</summary>
    public bool Matches(ReadOnlySpan<byte> source, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        for (var done = 0; done < source.Length;)
        {
            var at = offset + done;
            var inPage = (int)(at % PageBytes);
            var n = Math.Min(PageBytes - inPage, source.Length - done);
            if (!Equal(tile.AsSpan(inPage, n), Lanes(at), source.Slice(done, n)))
                return false;
            done += n;
        }
        return true;
    }

    /// <summary>
    /// The page constant of payload byte <paramref name="at"/>, rotated so its byte <c>j</c> is the one payload byte
    /// <c>at + j</c> takes (positions advance in multiples of 8 from there, so the lanes stay aligned).
    /// </summary>
    private ulong Lanes(long at)
    {
        var page = (ulong)(at / PageBytes);
        var constant = page == 0 ? 0 : Mix(Seed ^ page * 0xD1B54A32D192ED03UL);
        return BitOperations.RotateRight(constant, 8 * (int)(at & 7));
    }

    private static void Xor(ReadOnlySpan<byte> tile, ulong lanes, Span<byte> destination)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && BitConverter.IsLittleEndian)
        {
            var k = Vector.AsVectorByte(new Vector<ulong>(lanes));
            ref var t = ref MemoryMarshal.GetReference(tile);
            ref var d = ref MemoryMarshal.GetReference(destination);
            for (; i <= destination.Length - Vector<byte>.Count; i += Vector<byte>.Count)
                (Vector.LoadUnsafe(ref t, (nuint)i) ^ k).StoreUnsafe(ref d, (nuint)i);
        }
        for (; i < destination.Length; i++)
            destination[i] = (byte)(tile[i] ^ (byte)(lanes >> (8 * (i & 7))));
    }

    private static bool Equal(ReadOnlySpan<byte> tile, ulong lanes, ReadOnlySpan<byte> source)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && BitConverter.IsLittleEndian)
        {
            var k = Vector.AsVectorByte(new Vector<ulong>(lanes));
            var diff = Vector<byte>.Zero;
            ref var t = ref MemoryMarshal.GetReference(tile);
            ref var s = ref MemoryMarshal.GetReference(source);
            for (; i <= source.Length - Vector<byte>.Count; i += Vector<byte>.Count)
                diff |= Vector.LoadUnsafe(ref t, (nuint)i) ^ k ^ Vector.LoadUnsafe(ref s, (nuint)i);
            if (diff != Vector<byte>.Zero)
                return false;
        }
        for (; i < source.Length; i++)
        {
            if (source[i] != (byte)(tile[i] ^ (byte)(lanes >> (8 * (i & 7)))))
                return false;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
