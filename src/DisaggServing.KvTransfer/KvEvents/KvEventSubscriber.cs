using System.Net;
using System.Net.Sockets;
using DisaggServing.KvTransfer.Index;
using DisaggServing.Protocol.Kv;
using Microsoft.Extensions.Options;
using NetMQ;
using NetMQ.Sockets;

namespace DisaggServing.KvTransfer.KvEvents;

/// <summary>
/// Subscribes to every configured vLLM engine's ZMQ KV-event publisher and feeds the shared <see cref="KvBlockIndex"/>
/// (<see cref="KvEventIngestor"/>). All sockets live on one <see cref="NetMQPoller"/> thread; the <c>dns:///</c>
/// services are re-resolved every <see cref="KvEventsOptions.ResolveIntervalSeconds"/>, adding and dropping one
/// subscription per pod IP. A subscription that disappears takes its engine's blocks out of the index.
/// </summary>
public sealed partial class KvEventSubscriber : BackgroundService
{
    private const int MaxMessagesPerWakeup = 1024;

    private readonly KvBlockIndex _index;
    private readonly IHostResolver _resolver;
    private readonly TimeProvider _time;
    private readonly ILogger<KvEventSubscriber> _logger;
    private readonly KvEventsOptions _options;
    private readonly KvBlockHashScheme _scheme;
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KvEventSource[]> _resolved = new(StringComparer.Ordinal);
    private readonly Lock _viewGate = new();
    private (KvEventSource Source, KvEventIngestor Ingestor)[] _view = [];
    private NetMQPoller? _poller;

    /// <summary>Creates the subscriber; nothing connects before the host starts.</summary>
    public KvEventSubscriber(
        KvBlockIndex index, IHostResolver resolver, TimeProvider time, IOptions<KvEventsOptions> options, ILogger<KvEventSubscriber> logger)
    {
        _index = index;
        _resolver = resolver;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _options.Validate();
        _scheme = _options.Scheme();
    }

    /// <summary>The subscriptions as of now, with their counters.</summary>
    public IReadOnlyList<KvEventSourceView> Sources
    {
        get
        {
            lock (_viewGate)
                return [.. _view.Select(v => new KvEventSourceView(v.Source.EngineId, v.Source.Endpoint, v.Source.ReplayEndpoint, v.Source.Role, v.Source.Origin, v.Ingestor.Stats.Snapshot()))];
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Any)
            return;
        using var poller = new NetMQPoller();
        _poller = poller;
        poller.RunAsync("kv-events");
        LogStarting(_options.Publishers.Count, _options.Services.Count, _scheme.ToString());
        try
        {
            var interval = TimeSpan.FromSeconds(_options.ResolveIntervalSeconds);
            while (!stoppingToken.IsCancellationRequested)
            {
                await ResolveServicesAsync(stoppingToken).ConfigureAwait(false);
                Apply(Desired());
                if (_options.Services.Count == 0)
                    await Task.Delay(Timeout.InfiniteTimeSpan, _time, stoppingToken).ConfigureAwait(false);
                else
                    await Task.Delay(interval, _time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Apply([]);
            poller.Stop();
            _poller = null;
        }
    }

    private List<KvEventSource> Desired()
    {
        var desired = new List<KvEventSource>();
        foreach (var p in _options.Publishers)
            desired.Add(new KvEventSource(p.EngineId!.Trim(), p.Endpoint!.Trim(), p.ReplayEndpoint?.Trim(), p.Role, "config"));
        foreach (var entry in _options.Services)
        {
            if (_resolved.TryGetValue(entry, out var sources))
                desired.AddRange(sources);
        }

        return desired;
    }

    private async Task ResolveServicesAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _options.Services.Count; i++)
        {
            var entry = _options.Services[i];
            var (host, port) = KvEventsOptions.ParseService(entry, i);
            IPAddress[] addresses;
            try
            {
                addresses = await _resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData)
            {
                // A headless Service with no ready pod answers "no such name": its engines are gone.
                addresses = [];
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // A failed lookup says nothing about the engines: keep the last known ones.
                LogResolveFailed(entry, e.Message);
                continue;
            }

            var sources = addresses.Distinct().OrderBy(a => a.ToString(), StringComparer.Ordinal).Select(a =>
            {
                var ip = a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{a}]" : a.ToString();
                var replay = _options.ReplayPort is { } rp ? $"tcp://{ip}:{rp}" : null;
                return new KvEventSource($"{ip}:{_options.EnginePort}", $"tcp://{ip}:{port}", replay, null, entry);
            }).ToArray();
            if (!_resolved.TryGetValue(entry, out var before) || !before.SequenceEqual(sources))
                LogResolved(entry, sources.Length);
            _resolved[entry] = sources;
        }
    }

    // Runs the (un)subscriptions on the poller thread, which owns every socket.
    private void Apply(IReadOnlyList<KvEventSource> desired)
    {
        var poller = _poller;
        if (poller is null)
            return;
        using var done = new ManualResetEventSlim();
        poller.Run(() =>
        {
            try
            {
                Reconcile(poller, desired);
            }
            finally
            {
                done.Set();
            }
        });
        done.Wait(TimeSpan.FromSeconds(10));
    }

    private void Reconcile(NetMQPoller poller, IReadOnlyList<KvEventSource> desired)
    {
        var wanted = new Dictionary<string, KvEventSource>(StringComparer.Ordinal);
        foreach (var source in desired)
        {
            if (!wanted.TryAdd(source.EngineId, source))
                LogDuplicate(source.EngineId, source.Endpoint);
        }

        foreach (var (id, subscription) in _subscriptions.ToArray())
        {
            if (wanted.TryGetValue(id, out var source) && source == subscription.Source)
                continue;
            poller.RemoveAndDispose(subscription.Socket);
            subscription.Ingestor.Stop();
            _subscriptions.Remove(id);
            LogUnsubscribed(id, subscription.Source.Endpoint);
        }

        foreach (var source in wanted.Values)
        {
            if (_subscriptions.ContainsKey(source.EngineId))
                continue;
            var replay = source.ReplayEndpoint is { } r ? new ZmqKvEventReplay(r, TimeSpan.FromMilliseconds(Math.Max(1, _options.ReplayTimeoutMs))) : null;
            var ingestor = new KvEventIngestor(source.EngineId, _index, _scheme, replay, _logger);
            var socket = new SubscriberSocket();
            socket.Options.Linger = TimeSpan.Zero;
            socket.Options.ReceiveHighWatermark = 100_000;
            socket.Subscribe(_options.Topic);
            var subscription = new Subscription(source, socket, ingestor);
            socket.ReceiveReady += (_, _) => Drain(subscription);
            ingestor.Start();
            socket.Connect(source.Endpoint);
            poller.Add(socket);
            _subscriptions.Add(source.EngineId, subscription);
            LogSubscribed(source.EngineId, source.Endpoint, source.Origin);
        }

        lock (_viewGate)
        {
            _view = [.. _subscriptions.Values.OrderBy(s => s.Source.EngineId, StringComparer.Ordinal)
                .Select(s => (s.Source, s.Ingestor))];
        }
    }

    private void Drain(Subscription subscription)
    {
        var frames = subscription.Frames;
        for (var i = 0; i < MaxMessagesPerWakeup && subscription.Socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames, 3); i++)
        {
            try
            {
                subscription.Ingestor.Ingest(frames);
            }
            catch (Exception e)
            {
                // Never let one engine's message stop the poller that serves every engine.
                LogIngestFailed(e, subscription.Source.EngineId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "KV events: {Publishers} publisher(s), {Services} dns:/// service(s); index keys by {Scheme}")]
    private partial void LogStarting(int publishers, int services, string scheme);

    [LoggerMessage(Level = LogLevel.Information, Message = "KV events: subscribed to {EngineId} at {Endpoint} ({Origin})")]
    private partial void LogSubscribed(string engineId, string endpoint, string origin);

    [LoggerMessage(Level = LogLevel.Information, Message = "KV events: unsubscribed from {EngineId} at {Endpoint}; its blocks left the index")]
    private partial void LogUnsubscribed(string engineId, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "KV events: engine id {EngineId} is configured twice; {Endpoint} is ignored")]
    private partial void LogDuplicate(string engineId, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "KV events: {Service} now resolves to {Count} engine(s)")]
    private partial void LogResolved(string service, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "KV events: resolving {Service} failed ({Error}); keeping its last known engines")]
    private partial void LogResolveFailed(string service, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "KV events: ingesting a message of {EngineId} failed")]
    private partial void LogIngestFailed(Exception exception, string engineId);

    private sealed class Subscription(KvEventSource source, SubscriberSocket socket, KvEventIngestor ingestor)
    {
        public KvEventSource Source { get; } = source;

        public SubscriberSocket Socket { get; } = socket;

        public KvEventIngestor Ingestor { get; } = ingestor;

        public List<byte[]> Frames = new(3);
    }
}
