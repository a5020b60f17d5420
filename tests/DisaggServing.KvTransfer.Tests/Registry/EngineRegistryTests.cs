using DisaggServing.Engine.Clock;
using DisaggServing.KvTransfer.Index;
using DisaggServing.KvTransfer.Registry;
using DisaggServing.KvTransfer.Tests.Support;

namespace DisaggServing.KvTransfer.Tests.Registry;

public class EngineRegistryTests
{
    private readonly VirtualTimeProvider _clock = new();
    private readonly KvBlockIndex _index = new();
    private readonly EngineRegistry _registry;

    public EngineRegistryTests()
    {
        _registry = new EngineRegistry(_clock, new RegistryTimings(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6)), [_index]);
    }

    [Fact]
    public void Register_adds_an_engine_with_idle_load()
    {
        Assert.False(_registry.Register(TestEngines.Descriptor("p0")));

        var engine = Assert.Single(_registry.List());
        Assert.Equal("p0", engine.Engine.EngineId);
        Assert.Equal(EngineLoadReport.Idle, engine.Load);
        Assert.Equal(TimeSpan.Zero, engine.SinceHeartbeat);
        Assert.Equal(1, _index.EngineCount);
    }

    [Fact]
    public void Register_normalizes_the_role_and_copies_gpu_indices()
    {
        var gpus = new List<int> { 3 };
        _registry.Register(TestEngines.Descriptor("d0") with { Role = "Decode", GpuIndices = gpus });
        gpus.Add(4);

        var engine = _registry.Find("d0")!;
        Assert.Equal("decode", engine.Engine.Role);
        Assert.Equal([3], engine.Engine.GpuIndices);
    }

    [Theory]
    [InlineData("", "prefill")]
    [InlineData("  ", "prefill")]
    [InlineData("p0", "router")]
    public void Register_rejects_a_missing_id_or_unknown_role(string id, string role) =>
        Assert.Throws<ArgumentException>(() => _registry.Register(TestEngines.Descriptor(id, role)));

    [Fact]
    public void Register_again_replaces_the_engine_and_drops_its_indexed_blocks()
    {
        _registry.Register(TestEngines.Descriptor("p0"));
        _index.Publish("p0", 1, [KvBlockEvent.Stored(TestEngines.Hashes(1, 4))]);

        Assert.True(_registry.Register(TestEngines.Descriptor("p0", model: "qwen3-32b")));

        Assert.Equal("qwen3-32b", Assert.Single(_registry.List()).Engine.Model);
        Assert.Equal(0, _index.BlockCount("p0"));
        // The replacement starts a new event sequence.
        Assert.Equal(PublishOutcome.Applied, _index.Publish("p0", 1, [KvBlockEvent.Stored(1)]));
    }

    [Fact]
    public void Heartbeat_records_load_and_resets_the_silence()
    {
        _registry.Register(TestEngines.Descriptor("p0"));
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        var load = new EngineLoadReport(3, 5, 0.42, 2);

        Assert.True(_registry.Heartbeat("p0", load));
        _clock.Advance(TimeSpan.FromSeconds(0.5));

        var engine = _registry.Find("p0")!;
        Assert.Equal(load, engine.Load);
        Assert.Equal(TimeSpan.FromSeconds(0.5), engine.SinceHeartbeat);
    }

    [Fact]
    public void Heartbeat_of_an_unknown_engine_is_refused()
    {
        Assert.False(_registry.Heartbeat("ghost", EngineLoadReport.Idle));
    }

    [Fact]
    public void Heartbeats_inside_the_expiry_keep_an_engine_alive()
    {
        _registry.Register(TestEngines.Descriptor("p0"));
        for (var i = 0; i < 10; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            Assert.True(_registry.Heartbeat("p0", EngineLoadReport.Idle));
            Assert.Empty(_registry.RemoveExpired());
        }

        Assert.Equal(1, _registry.Count);
    }

    [Fact]
    public void An_engine_silent_past_the_expiry_is_dropped_from_registry_and_index()
    {
        _registry.Register(TestEngines.Descriptor("p0"));
        _registry.Register(TestEngines.Descriptor("p1"));
        var hashes = TestEngines.Hashes(1, 8);
        _index.Publish("p0", 1, [KvBlockEvent.Stored(hashes)]);
        _index.Publish("p1", 1, [KvBlockEvent.Stored(hashes)]);

        _clock.Advance(TimeSpan.FromSeconds(4));
        _registry.Heartbeat("p1", EngineLoadReport.Idle);
        _clock.Advance(TimeSpan.FromSeconds(2.5));

        Assert.Equal(["p0"], _registry.RemoveExpired());
        Assert.Equal(["p1"], _registry.List().Select(e => e.Engine.EngineId));
        Assert.Null(_index.BlockCount("p0"));
        var matches = new List<PrefixMatch>();
        _index.FindLongestPrefix(hashes, matches);
        Assert.Equal([new PrefixMatch("p1", 8)], matches);
        Assert.Equal(PublishOutcome.UnknownEngine, _index.Publish("p0", 2, [KvBlockEvent.Stored(1)]));
    }

    [Fact]
    public void Exactly_at_the_expiry_an_engine_is_still_alive()
    {
        _registry.Register(TestEngines.Descriptor("p0"));
        _clock.Advance(TimeSpan.FromSeconds(6));

        Assert.Empty(_registry.RemoveExpired());
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(["p0"], _registry.RemoveExpired());
    }

    [Fact]
    public void An_expired_engine_is_hidden_and_its_late_heartbeat_refused_before_any_sweep()
    {
        _registry.Register(TestEngines.Descriptor("p0"));
        _index.Publish("p0", 1, [KvBlockEvent.Stored(1, 2)]);
        _clock.Advance(TimeSpan.FromSeconds(7));

        Assert.Empty(_registry.List());
        Assert.Null(_registry.Find("p0"));
        Assert.False(_registry.Heartbeat("p0", EngineLoadReport.Idle));
        Assert.Equal(0, _registry.Count);
        Assert.Null(_index.BlockCount("p0"));
    }

    [Fact]
    public void Deregister_removes_the_engine_and_its_blocks()
    {
        _registry.Register(TestEngines.Descriptor("p0"));
        _index.Publish("p0", 1, [KvBlockEvent.Stored(1, 2, 3)]);

        Assert.True(_registry.Deregister("p0"));
        Assert.False(_registry.Deregister("p0"));

        Assert.Empty(_registry.List());
        Assert.Equal(0, _index.IndexedBlocks);
        Assert.Equal(0, _index.EngineCount);
    }

    [Fact]
    public void List_filters_by_role_and_model_and_orders_by_id()
    {
        _registry.Register(TestEngines.Descriptor("p1", EngineRoles.Prefill, "a"));
        _registry.Register(TestEngines.Descriptor("p0", EngineRoles.Prefill, "b"));
        _registry.Register(TestEngines.Descriptor("d0", EngineRoles.Decode, "a"));
        _registry.Register(TestEngines.Descriptor("x0", EngineRoles.Both, "a"));

        string[] Ids(string? role, string? model) => _registry.List(role, model).Select(e => e.Engine.EngineId).ToArray();

        Assert.Equal(["d0", "p0", "p1", "x0"], Ids(null, null));
        Assert.Equal(["p0", "p1", "x0"], Ids("prefill", ""));
        Assert.Equal(["d0", "x0"], Ids("decode", null));
        Assert.Equal(["x0"], Ids("both", null));
        Assert.Equal(["d0", "p1", "x0"], Ids(null, "a"));
        Assert.Equal(["p1", "x0"], Ids("prefill", "a"));
        Assert.Empty(Ids("prefill", "c"));
    }

    [Fact]
    public void Timings_must_expire_after_the_heartbeat_interval()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegistryTimings(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegistryTimings(TimeSpan.Zero, TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromSeconds(6), RegistryTimings.Default.Expiry);
    }
}
