using DisaggServing.Engine.Clock;
using DisaggServing.KvTransfer.Hosting;
using DisaggServing.KvTransfer.Index;
using DisaggServing.KvTransfer.Registry;
using DisaggServing.KvTransfer.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DisaggServing.KvTransfer.Tests.Hosting;

public class EngineExpirySweeperTests
{
    [Fact]
    public async Task Sweeps_on_the_clock_and_drops_silent_engines_from_registry_and_index()
    {
        var clock = new VirtualTimeProvider();
        var index = new KvBlockIndex();
        var registry = new EngineRegistry(clock, RegistryTimings.Default, [index]);
        var sweeper = new EngineExpirySweeper(
            registry, clock, Options.Create(new KvTransferOptions { SweepIntervalSeconds = 1 }), NullLogger<EngineExpirySweeper>.Instance);
        registry.Register(TestEngines.Descriptor("quiet"));
        registry.Register(TestEngines.Descriptor("chatty"));
        index.Publish("quiet", 1, [KvBlockEvent.Stored(1, 2, 3)]);

        await sweeper.StartAsync(CancellationToken.None);
        for (var second = 1; second <= 6; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            registry.Heartbeat("chatty", EngineLoadReport.Idle);
        }

        // 6 s of silence is the limit, not past it.
        Assert.Equal(2, registry.Count);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(["chatty"], registry.List().Select(e => e.Engine.EngineId));
        Assert.Equal(1, index.EngineCount);
        Assert.Equal(0, index.IndexedBlocks);

        await sweeper.StopAsync(CancellationToken.None);
        sweeper.Dispose();
        Assert.Equal(0, clock.ActiveTimerCount);
    }
}
