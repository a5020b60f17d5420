using DisaggServing.Scheduling.Configuration;

namespace DisaggServing.Scheduling;

/// <summary>Scheduling plugins by name; configuration selects them. Names are case-insensitive.</summary>
public sealed class PluginRegistry
{
    private readonly Dictionary<string, Func<PluginFactoryContext, ISchedulingPlugin>> _factories = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The registered names.</summary>
    public IEnumerable<string> Names => _factories.Keys;

    /// <summary>Registers (or replaces) the plugin <paramref name="name"/>.</summary>
    public PluginRegistry Register(string name, Func<PluginFactoryContext, ISchedulingPlugin> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _factories[name] = factory ?? throw new ArgumentNullException(nameof(factory));
        return this;
    }

    /// <summary>A new <typeparamref name="T"/> named <paramref name="name"/>; a clear error when unknown or of another kind.</summary>
    public T Create<T>(string name, PluginFactoryContext context, string where) where T : class, ISchedulingPlugin
    {
        if (!_factories.TryGetValue(name, out var factory))
            throw new InvalidOperationException(
                $"{where}: unknown scheduling plugin '{name}'. Known plugins: {string.Join(", ", _factories.Keys.Order(StringComparer.Ordinal))}.");
        var plugin = factory(context);
        return plugin as T ?? throw new InvalidOperationException(
            $"{where}: plugin '{name}' is a {KindOf(plugin)}, not a {KindOf(typeof(T))}.");
    }

    /// <summary>Builds the profile <paramref name="definition"/>.</summary>
    public SchedulingProfile Build(ProfileDefinition definition, SchedulingOptions options, TimeProvider time)
    {
        var where = $"Router:Scheduling:Profiles:{definition.Name}";
        var filters = new List<IFilter>();
        foreach (var filter in definition.Filters)
            filters.Add(Create<IFilter>(filter.Name, new PluginFactoryContext(filter.Parameters, options, time), where + ":Filters"));
        var scorers = new List<WeightedScorer>();
        foreach (var scorer in definition.Scorers)
            scorers.Add(new WeightedScorer(
                Create<IScorer>(scorer.Name, new PluginFactoryContext(scorer.Plugin.Parameters, options, time), where + ":Scorers"), scorer.Weight));
        var picker = Create<IPicker>(definition.Picker.Name, new PluginFactoryContext(definition.Picker.Parameters, options, time), where + ":Picker");
        return new SchedulingProfile(definition.Name, filters, scorers, picker);
    }

    private static string KindOf(object plugin) => KindOf(plugin.GetType());

    private static string KindOf(Type type) =>
        typeof(IFilter).IsAssignableFrom(type) ? "filter" : typeof(IScorer).IsAssignableFrom(type) ? "scorer" : typeof(IPicker).IsAssignableFrom(type) ? "picker" : "plugin";
}
