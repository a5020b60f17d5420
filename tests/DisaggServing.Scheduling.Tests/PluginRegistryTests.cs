using DisaggServing.Scheduling.Configuration;
using DisaggServing.Scheduling;
using DisaggServing.Scheduling.Plugins;
using DisaggServing.Scheduling.Plugins.Health;
using DisaggServing.Scheduling.Plugins.LeastLoad;
using DisaggServing.Scheduling.Plugins.MaxScore;
using DisaggServing.Scheduling.Plugins.PrefixCache;
using DisaggServing.Scheduling.Plugins.RoundRobin;
using Microsoft.Extensions.Configuration;

namespace DisaggServing.Scheduling.Tests;

public class PluginRegistryTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))).Build();

    [Fact]
    public void Built_ins_are_registered_by_name()
    {
        var registry = BuiltInPlugins.CreateRegistry();
        Assert.Equal(["health", "least-load", "max-score", "prefix-cache", "round-robin"], registry.Names.Order().ToArray());
    }

    [Fact]
    public void Default_profiles_filter_health_score_prefix_and_load_and_pick_max_score()
    {
        var registry = BuiltInPlugins.CreateRegistry();
        var decode = registry.Build(SchedulingConfigReader.Read(Config(), "decode"), new SchedulingOptions(), TimeProvider.System);
        Assert.IsType<HealthFilter>(Assert.Single(decode.Filters));
        Assert.Collection(decode.Scorers,
            s => { Assert.IsType<PrefixCacheScorer>(s.Scorer); Assert.Equal(2, s.Weight); },
            s => { Assert.IsType<LeastLoadScorer>(s.Scorer); Assert.Equal(1, s.Weight); });
        Assert.IsType<MaxScorePicker>(decode.Picker);
    }

    [Fact]
    public void Profiles_are_read_from_names_or_objects_with_weights_and_parameters()
    {
        var scheduling = Config(
            ("Profiles:prefill:Filters:0", "health"),
            ("Profiles:prefill:Scorers:0:Name", "least-load"),
            ("Profiles:prefill:Scorers:0:Weight", "3.5"),
            ("Profiles:prefill:Scorers:0:Parameters:KvWeight", "0"),
            ("Profiles:prefill:Picker", "round-robin"),
            ("Profiles:decode:Picker:Name", "round-robin"),
            ("Profiles:decode:Filters:0:Name", "health"),
            ("Profiles:decode:Filters:0:Parameters:ErrorCooldownMs", "250"));
        var registry = BuiltInPlugins.CreateRegistry();
        var prefill = registry.Build(SchedulingConfigReader.Read(scheduling, "prefill"), new SchedulingOptions(), TimeProvider.System);
        var scorer = Assert.Single(prefill.Scorers);
        Assert.IsType<LeastLoadScorer>(scorer.Scorer);
        Assert.Equal(3.5, scorer.Weight);
        Assert.IsType<RoundRobinPicker>(prefill.Picker);

        var decode = registry.Build(SchedulingConfigReader.Read(scheduling, "decode"), new SchedulingOptions(), TimeProvider.System);
        Assert.Empty(decode.Scorers);
        Assert.Equal(TimeSpan.FromMilliseconds(250), Assert.IsType<HealthFilter>(Assert.Single(decode.Filters)).ErrorCooldown);
        Assert.IsType<RoundRobinPicker>(decode.Picker);
    }

    [Fact]
    public void Unknown_names_and_wrong_kinds_are_clear_errors()
    {
        var registry = BuiltInPlugins.CreateRegistry();
        var unknown = Assert.Throws<InvalidOperationException>(() => registry.Build(
            SchedulingConfigReader.Read(Config(("Profiles:decode:Scorers:0", "kv-magic")), "decode"), new SchedulingOptions(), TimeProvider.System));
        Assert.Contains("unknown scheduling plugin 'kv-magic'", unknown.Message);
        Assert.Contains("least-load", unknown.Message);

        var wrongKind = Assert.Throws<InvalidOperationException>(() => registry.Build(
            SchedulingConfigReader.Read(Config(("Profiles:decode:Picker", "least-load")), "decode"), new SchedulingOptions(), TimeProvider.System));
        Assert.Contains("'least-load' is a scorer, not a picker", wrongKind.Message);

        var badWeight = Assert.Throws<InvalidOperationException>(() =>
            SchedulingConfigReader.Read(Config(("Profiles:decode:Scorers:0:Name", "least-load"), ("Profiles:decode:Scorers:0:Weight", "heavy")), "decode"));
        Assert.Contains("weight 'heavy'", badWeight.Message);
    }

    [Fact]
    public void Custom_plugins_can_be_registered()
    {
        var registry = BuiltInPlugins.CreateRegistry().Register("first", _ => new FirstPicker());
        var profile = registry.Build(SchedulingConfigReader.Read(Config(("Profiles:decode:Picker", "first")), "decode"), new SchedulingOptions(), TimeProvider.System);
        Assert.IsType<FirstPicker>(profile.Picker);
    }

    private sealed class FirstPicker : IPicker
    {
        public string Name => "first";

        public int Pick(SchedulingContext context, IReadOnlyList<ISchedulingCandidate> candidates, ReadOnlySpan<double> scores) =>
            candidates.Count > 0 ? 0 : -1;
    }
}
