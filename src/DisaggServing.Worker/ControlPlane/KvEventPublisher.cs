using DisaggServing.Engine.Scheduling;
using DisaggServing.Protocol.KvTransfer;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Runtime;
using Grpc.Core;

namespace DisaggServing.Worker.ControlPlane;

/// <summary>
/// Publishes the scheduler's KV cache events (vLLM's BlockStored / BlockRemoved / AllBlocksCleared) to the
/// KV-transfer service's index in ordered batches with increasing sequence numbers. The scheduler calls the sink
/// under the engine lock, so it only queues; a background loop sends. It mirrors the cached blocks so that after a
/// (re-)registration, a <c>resync_required</c> reply or a queue overflow it can send the whole cache again
/// (AllBlocksCleared, then every block) instead of a history the index has lost.
/// </summary>
public sealed class KvEventPublisher(KvTransferConnection connection, WorkerSettings settings, ILogger<KvEventPublisher> logger)
    : BackgroundService, IKvEventSink
{
    /// <summary>Events per batch.</summary>
    public const int MaxBatch = 1024;

    /// <summary>Events held while the service is unreachable; beyond this the history is dropped for a resync.</summary>
    public const int MaxPending = 200_000;

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private readonly Queue<KvEvent> _pending = new();
    // Cached block hash → the hash of the block before it (null for a prompt's first block).
    private readonly Dictionary<ulong, ulong?> _mirror = [];
    private readonly WakeSignal _wake = new();
    private bool _resync;
    private bool _registered;
    private ulong _sequence;

    /// <summary>Batches the service has accepted.</summary>
    public long BatchesPublished { get; private set; }

    /// <summary>The last sequence number sent.</summary>
    public ulong Sequence
    {
        get
        {
            lock (_gate)
                return _sequence;
        }
    }

    public void BlockStored(ReadOnlySpan<ulong> blockHashes, ulong? parentBlockHash, int blockSize)
    {
        var stored = new BlockStored { BlockSize = blockSize };
        if (parentBlockHash is { } p)
            stored.ParentBlockHash = p;
        lock (_gate)
        {
            var parent = parentBlockHash;
            foreach (var hash in blockHashes)
            {
                stored.BlockHashes.Add(hash);
                _mirror[hash] = parent;
                parent = hash;
            }
            Enqueue(new KvEvent { Stored = stored });
        }
        _wake.Set();
    }

    public void BlockRemoved(ReadOnlySpan<ulong> blockHashes)
    {
        var removed = new BlockRemoved();
        lock (_gate)
        {
            foreach (var hash in blockHashes)
            {
                removed.BlockHashes.Add(hash);
                _mirror.Remove(hash);
            }
            Enqueue(new KvEvent { Removed = removed });
        }
        _wake.Set();
    }

    public void AllBlocksCleared()
    {
        lock (_gate)
        {
            _mirror.Clear();
            Enqueue(new KvEvent { Cleared = new AllBlocksCleared() });
        }
        _wake.Set();
    }

    /// <summary>The registry (re)admitted this engine: its index starts over, so send the whole cache.</summary>
    public void OnRegistered()
    {
        lock (_gate)
        {
            _registered = true;
            _resync = true;
        }
        _wake.Set();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
        KvEventBatch? batch = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            batch ??= NextBatch();
            if (batch is null)
            {
                await _wake.WaitAsync(Timeout.InfiniteTimeSpan, TimeProvider.System, stoppingToken).ConfigureAwait(false);
                continue;
            }
            try
            {
                var reply = await connection.Index.PublishAsync(batch, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: stoppingToken).ConfigureAwait(false);
                BatchesPublished++;
                batch = null;
                backoff.Reset();
                if (reply.ResyncRequired)
                    RequestResync();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e)
            {
                if (e.StatusCode == StatusCode.NotFound)
                {
                    // Not registered (any more): the registration loop re-registers and asks for a resync.
                    batch = null;
                    lock (_gate)
                        _registered = false;
                }
                var wait = backoff.Next();
                logger.LogDebug("Publishing KV events failed ({Status}); retrying in {Wait}", e.StatusCode, wait);
                await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void RequestResync()
    {
        lock (_gate)
            _resync = true;
        _wake.Set();
    }

    /// <summary>The next batch to send (a resync snapshot takes precedence), or null when there is nothing.</summary>
    private KvEventBatch? NextBatch()
    {
        lock (_gate)
        {
            if (!_registered)
                return null;
            var batch = new KvEventBatch { EngineId = settings.EngineId };
            if (_resync)
            {
                // The snapshot already reflects every queued event.
                _resync = false;
                _pending.Clear();
                batch.Events.Add(new KvEvent { Cleared = new AllBlocksCleared() });
                foreach (var (hash, parent) in _mirror)
                {
                    var stored = new BlockStored { BlockSize = settings.BlockSize };
                    stored.BlockHashes.Add(hash);
                    if (parent is { } p)
                        stored.ParentBlockHash = p;
                    batch.Events.Add(new KvEvent { Stored = stored });
                }
            }
            else
            {
                while (batch.Events.Count < MaxBatch && _pending.TryDequeue(out var e))
                    batch.Events.Add(e);
                if (batch.Events.Count == 0)
                    return null;
            }
            batch.Sequence = ++_sequence;
            return batch;
        }
    }

    private void Enqueue(KvEvent e)
    {
        if (_resync)
            return; // a snapshot will be sent: history is moot
        if (_pending.Count >= MaxPending)
        {
            _pending.Clear();
            _resync = true;
            return;
        }
        _pending.Enqueue(e);
    }
}
