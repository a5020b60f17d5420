using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DisaggServing.Engine.Metrics;

/// <summary>
/// Sorts latencies ascending by LSD radix over their bits, for the reports' percentiles. A run's report sorts three
/// arrays of hundreds of thousands of values once; Array.Sort of doubles ran there as first-tier JIT code (a generic
/// instantiation nothing precompiles, called too few times to be optimized), a twentieth of a 300k-request
/// simulation. Equal keys are equal doubles, so the order is Array.Sort's, value for value.
/// </summary>
internal static class DoubleSort
{
    private const int DigitBits = 16;
    private const int Buckets = 1 << DigitBits;
    // Below this a comparison sort is as fast as the radix's fixed cost (its count array).
    private const int RadixThreshold = 4096;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sort(double[] values)
    {
        if (values.Length < RadixThreshold || HasNaN(values))
        {
            Array.Sort(values);
            return;
        }
        // The keys take the values' place (same size), so one scratch array is all the sort allocates.
        Span<ulong> keys = MemoryMarshal.Cast<double, ulong>(values.AsSpan());
        for (var i = 0; i < keys.Length; i++)
            keys[i] = Key(values[i]);
        Span<ulong> scratch = new ulong[values.Length];
        var counts = new int[Buckets];
        for (var shift = 0; shift < 64; shift += DigitBits)
        {
            Array.Clear(counts);
            foreach (var key in keys)
                counts[(int)(key >> shift) & (Buckets - 1)]++;
            // A digit every key shares (the high bits of latencies of one magnitude) moves nothing.
            if (counts[(int)(keys[0] >> shift) & (Buckets - 1)] == keys.Length)
                continue;
            var start = 0;
            for (var b = 0; b < Buckets; b++)
                (counts[b], start) = (start, start + counts[b]);
            foreach (var key in keys)
                scratch[counts[(int)(key >> shift) & (Buckets - 1)]++] = key;
            var swap = keys;
            keys = scratch;
            scratch = swap;
        }
        // The sorted keys are in the values' own memory or in the scratch array; either way back to doubles in place.
        for (var i = 0; i < values.Length; i++)
            values[i] = Value(keys[i]);
    }

    private static bool HasNaN(double[] values)
    {
        foreach (var value in values)
            if (double.IsNaN(value)) return true;
        return false;
    }

    // Order-preserving: negatives have every bit flipped, the others their sign bit set. −0 sorts just below +0,
    // which compare equal; both sum and interpolate alike.
    private static ulong Key(double value)
    {
        var bits = BitConverter.DoubleToUInt64Bits(value);
        return (bits & 0x8000_0000_0000_0000) != 0 ? ~bits : bits | 0x8000_0000_0000_0000;
    }

    private static double Value(ulong key) =>
        BitConverter.UInt64BitsToDouble((key & 0x8000_0000_0000_0000) != 0 ? key & 0x7FFF_FFFF_FFFF_FFFF : ~key);
}
