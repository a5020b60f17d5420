namespace DisaggServing.Worker.Admin;

/// <summary>
/// Faults injected through <c>POST /admin/faults</c>: fail the next KV transfer this worker takes part in (as
/// the prefill serving it, which then sends a corrupt block, or as the decoder pulling it), and slow the
/// simulated KV link. Thread-safe.
/// </summary>
public sealed class FaultState
{
    private int _failNextTransfer;
    private long _linkSlowdownBits = BitConverter.DoubleToInt64Bits(1.0);

    public bool FailNextTransferArmed => Volatile.Read(ref _failNextTransfer) != 0;

    /// <summary>Multiplier on simulated KV transfer time (1 = none).</summary>
    public double LinkSlowdown
    {
        get => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _linkSlowdownBits));
        set => Interlocked.Exchange(ref _linkSlowdownBits, BitConverter.DoubleToInt64Bits(value));
    }

    public void ArmFailNextTransfer(bool armed) => Volatile.Write(ref _failNextTransfer, armed ? 1 : 0);

    /// <summary>True once per arming: the caller's transfer is the one to fail.</summary>
    public bool TryConsumeFailNextTransfer() => Interlocked.Exchange(ref _failNextTransfer, 0) != 0;
}
