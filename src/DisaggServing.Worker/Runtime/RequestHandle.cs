using System.Threading.Channels;
using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Worker.Runtime;

/// <summary>
/// One request in flight between the HTTP layer and the engine loop: the loop writes the running output-token
/// count to <see cref="Tokens"/> after every step that sampled one, sets <see cref="Outcome"/> and completes the
/// channel when the request ends. Only the engine (under its lock) writes.
/// </summary>
public sealed class RequestHandle
{
    private readonly Channel<int> _tokens = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly CancellationTokenSource _abort = new();

    internal RequestHandle(EngineRequest request, GenerationJob job, DateTimeOffset arrivalWall)
    {
        Request = request;
        Job = job;
        ArrivalWall = arrivalWall;
    }

    /// <summary>Engine request id (unique in this engine; the lease id of a prefill for a remote decoder).</summary>
    public string Id => Request.Id;

    public GenerationJob Job { get; }

    internal EngineRequest Request { get; }

    /// <summary>Output tokens produced so far, one value per step that produced any.</summary>
    public ChannelReader<int> Tokens => _tokens.Reader;

    /// <summary>Set just before <see cref="Tokens"/> completes.</summary>
    public RequestOutcome? Outcome { get; private set; }

    public bool IsDone => Outcome is not null;

    /// <summary>Cancelled when the request is aborted (stops a KV pull in flight).</summary>
    internal CancellationToken AbortToken => _abort.Token;

    // Wall-clock instants for trace spans (simulated time drives metrics, real time drives traces).
    public DateTimeOffset ArrivalWall { get; }
    public DateTimeOffset? FirstScheduledWall { get; internal set; }
    public DateTimeOffset? FirstTokenWall { get; internal set; }
    public DateTimeOffset? FinishedWall { get; internal set; }

    /// <summary>When the latest token came, on the engine clock (inter-token latency).</summary>
    internal TimeSpan LastTokenAt { get; set; }

    /// <summary>Output tokens handed to <see cref="Tokens"/> so far.</summary>
    internal int DeliveredTokens { get; set; }

    private int _spansRecorded;

    /// <summary>True the first time only: the request's spans are recorded once, as soon as it is done.</summary>
    internal bool TryClaimSpans() => IsDone && Interlocked.Exchange(ref _spansRecorded, 1) == 0;

    internal void Emit(int outputTokens) => _tokens.Writer.TryWrite(outputTokens);

    internal void Complete(RequestOutcome outcome, DateTimeOffset wall)
    {
        FinishedWall = wall;
        Outcome = outcome;
        _tokens.Writer.TryComplete();
    }

    internal void CancelWork()
    {
        try
        {
            _abort.Cancel();
        }
        catch (AggregateException)
        {
            // A callback of the pull failed while unwinding; the request is gone either way.
        }
    }
}
