
namespace DisaggServing.Scheduling.Plugins.PrefixCache;

/// <summary>
/// <c>prefix-cache</c> scorer: the fraction of the prompt an engine already holds, per the KV-transfer service's index
/// (the prompt tokenized with the shared tokenizer and chat template, chained block hashes, KvIndex.FindLongestPrefix).
/// Engines the index does not know, and every engine when no index is configured, score 0.
/// </summary>
public sealed class PrefixCacheScorer : IScorer
{
    /// <summary>Registered name.</summary>
    public const string PluginName = "prefix-cache";

    /// <inheritdoc />
    public string Name => PluginName;

    /// <inheritdoc />
    public bool UsesPrefixMatches => true;

    /// <summary>Factory for the registry.</summary>
    public static PrefixCacheScorer Create(PluginFactoryContext context) => new();

    /// <inheritdoc />
    public void Score(SchedulingContext context, IReadOnlyList<ISchedulingCandidate> candidates, Span<double> scores)
    {
        var prompt = context.PrefixMatches is { Count: > 0 } ? context.PromptTokens : 0;
        for (var i = 0; i < candidates.Count; i++)
            scores[i] = prompt == 0 ? 0 : (double)context.CachedTokens(candidates[i]) / prompt;
    }
}
