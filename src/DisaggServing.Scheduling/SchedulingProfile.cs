
namespace DisaggServing.Scheduling;

/// <summary>One profile (llm-d style): filters, then weighted scorers, then a picker, over a pool of candidates.</summary>
public sealed class SchedulingProfile
{
    private const int StackScores = 64;
    private readonly IFilter[] _filters;
    private readonly WeightedScorer[] _scorers;
    [ThreadStatic] private static List<ISchedulingCandidate>? t_candidates;

    /// <summary>A profile named <paramref name="name"/>.</summary>
    public SchedulingProfile(string name, IEnumerable<IFilter> filters, IEnumerable<WeightedScorer> scorers, IPicker picker)
    {
        Name = name;
        _filters = [.. filters];
        _scorers = [.. scorers];
        Picker = picker ?? throw new ArgumentNullException(nameof(picker));
        var uses = picker.UsesPrefixMatches;
        foreach (var filter in _filters) uses |= filter.UsesPrefixMatches;
        foreach (var scorer in _scorers) uses |= scorer.Scorer.UsesPrefixMatches && scorer.Weight > 0;
        UsesPrefixMatches = uses;
    }

    /// <summary>Profile name (decode or prefill).</summary>
    public string Name { get; }

    /// <summary>The filters, in order.</summary>
    public IReadOnlyList<IFilter> Filters => _filters;

    /// <summary>The weighted scorers.</summary>
    public IReadOnlyList<WeightedScorer> Scorers => _scorers;

    /// <summary>The picker.</summary>
    public IPicker Picker { get; }

    /// <summary>Whether any plugin needs the KV index's prefix matches.</summary>
    public bool UsesPrefixMatches { get; }

    /// <summary>The candidate this profile picks from <paramref name="pool"/> (less <paramref name="exclude"/>), or null when none qualifies.</summary>
    public T? Pick<T>(SchedulingContext context, IReadOnlyList<T> pool, T? exclude = null) where T : class, ISchedulingCandidate
    {
        // One candidate list per thread, reused: a pick allocates nothing (the simulator picks millions of times).
        var candidates = t_candidates ??= [];
        try
        {
            for (var i = 0; i < pool.Count; i++)
                if (!ReferenceEquals(pool[i], exclude))
                    candidates.Add(pool[i]);
            return (T?)PickFrom(context, candidates);
        }
        finally
        {
            candidates.Clear();
        }
    }

    private ISchedulingCandidate? PickFrom(SchedulingContext context, List<ISchedulingCandidate> candidates)
    {
        foreach (var filter in _filters)
        {
            if (candidates.Count == 0) return null;
            filter.Filter(context, candidates);
        }
        var count = candidates.Count;
        if (count == 0) return null;
        if (count == 1 && _scorers.Length == 0) return candidates[0];
        Span<double> total = count <= StackScores ? stackalloc double[count] : new double[count];
        Span<double> scratch = count <= StackScores ? stackalloc double[count] : new double[count];
        total.Clear();
        foreach (var (scorer, weight) in _scorers)
        {
            if (weight == 0) continue;
            scratch.Clear();
            scorer.Score(context, candidates, scratch);
            for (var i = 0; i < count; i++)
                total[i] += weight * Math.Clamp(double.IsFinite(scratch[i]) ? scratch[i] : 0, 0, 1);
        }
        var index = Picker.Pick(context, candidates, total);
        return (uint)index < (uint)count ? candidates[index] : null;
    }
}
