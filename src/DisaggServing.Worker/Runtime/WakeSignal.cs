namespace DisaggServing.Worker.Runtime;

/// <summary>
/// An auto-reset signal the engine loop sleeps on while idle: new work sets it; a wait ends on the signal, on a
/// timeout measured on a <see cref="TimeProvider"/> (simulated time), or on cancellation.
/// </summary>
public sealed class WakeSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _signal = NewSource();

    /// <summary>Wakes the current or the next wait.</summary>
    public void Set()
    {
        lock (_gate)
            _signal.TrySetResult();
    }

    /// <summary>Waits for <see cref="Set"/> (returning at once if it was set since the last wait) or the timeout.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        Task signal;
        lock (_gate)
            signal = _signal.Task;
        if (!signal.IsCompleted)
        {
            if (timeout == Timeout.InfiniteTimeSpan)
            {
                await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(timeout, time, delayCancel.Token);
                await Task.WhenAny(signal, delay).ConfigureAwait(false);
                await delayCancel.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        // Whoever set it is served by the pass the caller makes now; a later Set completes the fresh source.
        lock (_gate)
            if (_signal.Task.IsCompleted)
                _signal = NewSource();
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
