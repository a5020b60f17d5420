using System.Buffers.Binary;
using System.Net;
using DisaggServing.KvTransfer.Index;
using DisaggServing.KvTransfer.KvEvents;
using DisaggServing.Protocol.Kv;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NetMQ;
using NetMQ.Sockets;
using static DisaggServing.KvTransfer.Tests.KvEvents.VllmWire;

namespace DisaggServing.KvTransfer.Tests.KvEvents;

/// <summary>The subscriber over real ZMQ sockets: a test publisher speaks vLLM's exact wire format.</summary>
public sealed class KvEventSubscriberTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static readonly int[] Prompt = [.. Enumerable.Range(7000, 3 * BlockSize)];
    private static readonly ulong[] RouterKeys = KvBlockHasher.HashPrompt(Prompt);

    private readonly KvBlockIndex _index = new();
    private readonly PublisherSocket _publisher = new();
    private readonly int _port;
    private ulong _sequence;

    public KvEventSubscriberTests()
    {
        _publisher.Options.Linger = TimeSpan.Zero;
        _port = _publisher.BindRandomPort("tcp://127.0.0.1");
    }

    public void Dispose() => _publisher.Dispose();

    private KvEventSubscriber Subscriber(KvEventsOptions options, IHostResolver? resolver = null) =>
        new(_index, resolver ?? new SystemHostResolver(), TimeProvider.System, Options.Create(options), NullLogger<KvEventSubscriber>.Instance);

    private void Send(ulong sequence, byte[] payload)
    {
        var frames = Frames(sequence, payload);
        _publisher.SendMoreFrame(frames[0]).SendMoreFrame(frames[1]).SendFrame(frames[2]);
    }

    // PUB/SUB drops what is sent before the subscription is up (ZMQ's slow joiner): announce until the engine is fed.
    private async Task AnnounceUntilFed(string engineId)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!_index.EventFedEngines.Contains(engineId))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{engineId} never received a KV event batch");
            Send(_sequence++, Batch(Cleared()));
            await Task.Delay(50);
        }

        // Let the announcements still in flight land before the real sequence continues.
        await Eventually(() => _index.EventFedEngines.Contains(engineId));
        await Task.Delay(200);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }

    private int Matched(string engineId)
    {
        var matches = new List<PrefixMatch>();
        _index.FindLongestPrefix(RouterKeys, matches);
        return matches.SingleOrDefault(m => m.EngineId == engineId).MatchedBlocks;
    }

    [Fact]
    public async Task Events_published_by_an_engine_reach_the_index_under_its_http_authority()
    {
        const string engine = "127.0.0.1:8101";
        var options = new KvEventsOptions { Publishers = [new() { EngineId = engine, Endpoint = $"tcp://127.0.0.1:{_port}", Role = "decode" }] };
        using var subscriber = Subscriber(options);
        await subscriber.StartAsync(default);
        await AnnounceUntilFed(engine);

        var hashes = EngineHashes(KvBlockHashScheme.Default, Prompt);
        Send(_sequence++, Batch(Stored(hashes, null, Prompt)));
        await Eventually(() => Matched(engine) == 3);
        Send(_sequence++, Batch(Removed([hashes[2]])));
        await Eventually(() => Matched(engine) == 2);
        _publisher.SendMoreFrame("kv-events").SendFrame([1, 2, 3]); // two frames: malformed, counted
        Send(_sequence++, Batch(Cleared()));
        await Eventually(() => Matched(engine) == 0);

        var view = Assert.Single(subscriber.Sources);
        Assert.Equal("decode", view.Role);
        Assert.Equal(1, view.Stats.MalformedFrames);
        Assert.Equal(0, view.Stats.Gaps);
        await subscriber.StopAsync(default);
        Assert.Equal(0, _index.EngineCount); // the subscription's engine left the index
    }

    [Fact]
    public async Task A_missed_batch_is_fetched_from_the_publishers_replay_socket()
    {
        const string engine = "127.0.0.1:8102";
        using var router = new RouterSocket();
        router.Options.Linger = TimeSpan.Zero;
        var replayPort = router.BindRandomPort("tcp://127.0.0.1");
        var buffer = new Dictionary<ulong, byte[]>();
        using var replayServer = new NetMQPoller { router };
        router.ReceiveReady += (_, _) =>
        {
            // vLLM's _service_replay: [identity, b"", start] → [identity, b"", seq, payload]… then [identity, b"", -1, b""].
            var request = router.ReceiveMultipartBytes(3);
            var start = BinaryPrimitives.ReadUInt64BigEndian(request[2]);
            byte[][] buffered;
            lock (buffer)
                buffered = [.. buffer.Where(b => b.Key >= start).OrderBy(b => b.Key).SelectMany(b => new[] { Seq(b.Key), b.Value })];
            for (var i = 0; i < buffered.Length; i += 2)
                router.SendMoreFrame(request[0]).SendMoreFrameEmpty().SendMoreFrame(buffered[i]).SendFrame(buffered[i + 1]);
            router.SendMoreFrame(request[0]).SendMoreFrameEmpty().SendMoreFrame(Seq(ulong.MaxValue)).SendFrame([]);
        };
        replayServer.RunAsync();

        var options = new KvEventsOptions
        {
            Publishers = [new() { EngineId = engine, Endpoint = $"tcp://127.0.0.1:{_port}", ReplayEndpoint = $"tcp://127.0.0.1:{replayPort}" }],
            // The replay path is under test, not its deadline: a loaded CI machine can take longer than the default
            // second to connect and answer, and a timed-out replay resyncs instead.
            ReplayTimeoutMs = (int)Patience.TotalMilliseconds,
        };
        using var subscriber = Subscriber(options);
        await subscriber.StartAsync(default);
        await AnnounceUntilFed(engine);

        var hashes = EngineHashes(KvBlockHashScheme.Default, Prompt);
        var missed = Batch(Stored(hashes[..2], null, Prompt[..(2 * BlockSize)]));
        lock (buffer)
            buffer[_sequence] = missed;
        _sequence++; // never sent live
        Send(_sequence++, Batch(Stored(hashes[2..], hashes[1], Prompt[(2 * BlockSize)..])));
        await Eventually(() => Matched(engine) == 3);

        var stats = Assert.Single(subscriber.Sources).Stats;
        Assert.Equal(1, stats.Gaps);
        Assert.Equal(1, stats.Replayed);
        Assert.Equal(0, stats.Resyncs);
        await subscriber.StopAsync(default);
        replayServer.Stop();
    }

    [Fact]
    public async Task Dns_services_subscribe_one_engine_per_pod_ip_and_drop_pods_that_leave()
    {
        var resolver = new FakeResolver { Addresses = [IPAddress.Loopback] };
        var options = new KvEventsOptions
        {
            Services = [$"dns:///llama-decode-kv.default.svc:{_port}"],
            EnginePort = 8000,
            ResolveIntervalSeconds = 0.1,
        };
        using var subscriber = Subscriber(options, resolver);
        await subscriber.StartAsync(default);
        await AnnounceUntilFed("127.0.0.1:8000");
        Send(_sequence++, Batch(Stored(EngineHashes(KvBlockHashScheme.Default, Prompt), null, Prompt)));
        await Eventually(() => Matched("127.0.0.1:8000") == 3);
        Assert.Equal("llama-decode-kv.default.svc", resolver.LastHost);

        resolver.Addresses = [];
        await Eventually(() => _index.EngineCount == 0);
        Assert.Empty(subscriber.Sources);
        await subscriber.StopAsync(default);
    }

    [Theory]
    [InlineData("Publishers:0:EngineId")]
    [InlineData("Publishers:0:Endpoint")]
    [InlineData("Services:0")]
    [InlineData("EnginePort")]
    [InlineData("HashAlgorithm")]
    public void Bad_configuration_fails_with_the_key_named(string key)
    {
        var options = key switch
        {
            "Publishers:0:EngineId" => new KvEventsOptions { Publishers = [new() { Endpoint = "tcp://127.0.0.1:5601" }] },
            "Publishers:0:Endpoint" => new KvEventsOptions { Publishers = [new() { EngineId = "127.0.0.1:8101", Endpoint = "127.0.0.1:5601" }] },
            "Services:0" => new KvEventsOptions { Services = ["llama-kv:5557"], EnginePort = 8000 },
            "EnginePort" => new KvEventsOptions { Services = ["dns:///llama-kv:5557"] },
            _ => new KvEventsOptions { HashAlgorithm = "xxhash" },
        };
        var error = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.Contains("KvTransfer:KvEvents:" + key, error.Message);
    }

    private static byte[] Seq(ulong sequence)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, sequence);
        return bytes;
    }

    private sealed class FakeResolver : IHostResolver
    {
        public volatile IPAddress[] Addresses = [];

        public string? LastHost { get; private set; }

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            LastHost = host;
            return Task.FromResult(Addresses);
        }
    }
}
