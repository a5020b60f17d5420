using DisaggServing.Router.Configuration;
using DisaggServing.Router.Endpoints;
using DisaggServing.Scheduling.Configuration;
using DisaggServing.Scheduling;
using DisaggServing.Scheduling.Plugins;
using Microsoft.Extensions.Configuration;

namespace DisaggServing.Router.Tests.Unit;

public class PrefixHistoryTests
{
    private static readonly ulong[] Prompt = [11, 12, 13, 14];

    private static RoutingHistoryIndex History(ManualTime time, int blocksPerEngine = 100, double ttlSeconds = 120) =>
        new(blocksPerEngine, TimeSpan.FromSeconds(ttlSeconds), time);

    [Fact]
    public void An_endpoint_is_known_to_the_index_by_its_normalized_authority() =>
        Assert.Equal("127.0.0.1:8101", new EngineEndpoint("http://localhost:8101").Authority);

    [Fact]
    public async Task A_repeated_prompt_returns_to_the_engine_that_served_it_and_skips_prefill()
    {
        var catalog = new EndpointCatalog(["http://127.0.0.1:5101"], ["http://127.0.0.1:5201", "http://127.0.0.1:5202"]);
        var registry = BuiltInPlugins.CreateRegistry();
        var empty = new ConfigurationBuilder().Build();
        var options = new SchedulingOptions();
        var handler = new EndpointScheduler(
            registry.Build(SchedulingConfigReader.Read(empty, "decode"), options, TimeProvider.System),
            registry.Build(SchedulingConfigReader.Read(empty, "prefill"), options, TimeProvider.System),
            new PdDecider(64), new HistoryBackedPrefixIndex(new NullPrefixIndex(), History(new ManualTime())), catalog);

        var first = await handler.ScheduleAsync(Sched.Context(200), default);
        Assert.Equal(RouteNames.Pd, first.Route);
        var again = await handler.ScheduleAsync(Sched.Context(200), default);
        Assert.Same(first.Decode, again.Decode);
        Assert.Equal(RouteNames.DecodeOnly, again.Route); // 200 − 192 estimated cached < 64
        Assert.Equal(DecisionReason.CachedPrefix, again.Reason);
    }

    [Fact]
    public void Bad_history_settings_fail_naming_the_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Router:ApproximatePrefix:BlocksPerEngine"] = "0",
        }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => RouterOptionsLoader.Load(configuration));
        Assert.Contains("Router:ApproximatePrefix:BlocksPerEngine", error.Message);
    }
}

public class TokenizerConfigurationTests
{
    [Fact]
    public void A_tokenizer_entry_without_its_file_fails_naming_the_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Router:Tokenizers:0:Model"] = "meta-llama/Llama-3.3-70B-Instruct",
        }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => RouterOptionsLoader.Load(configuration));
        Assert.Contains("Router:Tokenizers:0", error.Message);
    }
}
