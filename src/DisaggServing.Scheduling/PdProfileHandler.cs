namespace DisaggServing.Scheduling;

/// <summary>
/// The disaggregated profile handler: runs the decode profile; then, unless the decider sends the request decode-only,
/// the prefill profile (llm-d's pd-profile-handler). The host fills <see cref="SchedulingContext.PrefixMatches"/> first
/// when <see cref="NeedsPrefixMatches"/> says a plugin or the decider can use them.
/// </summary>
public sealed class PdProfileHandler(SchedulingProfile decode, SchedulingProfile prefill, PdDecider decider)
{
    /// <summary>The decode profile.</summary>
    public SchedulingProfile DecodeProfile => decode;

    /// <summary>The prefill profile.</summary>
    public SchedulingProfile PrefillProfile => prefill;

    /// <summary>The decider.</summary>
    public PdDecider Decider => decider;

    /// <summary>
    /// Chooses the engines for <paramref name="context"/> from <paramref name="decodePool"/> and
    /// <paramref name="prefillPool"/>. With <paramref name="routesByRevision"/>, only engines of a known revision are
    /// routed to, and the prefill engine is of the decode engine's revision.
    /// </summary>
    public SchedulingResult<T> Schedule<T>(SchedulingContext context, T[] decodePool, T[] prefillPool, bool routesByRevision = false)
        where T : class, ISchedulingCandidate
    {
        if (routesByRevision) decodePool = Array.FindAll(decodePool, e => e.Revision is not null);
        if (decodePool.Length == 0) return new(null, null, DecisionReason.NoDecode);
        var decodeEngine = decode.Pick(context, decodePool);
        if (decodeEngine is null) return new(null, null, DecisionReason.NoHealthyDecode);
        if (prefillPool.Length == 0) return new(decodeEngine, null, DecisionReason.NoPrefill);
        var decision = decider.Decide(context, decodeEngine);
        if (!decision.Disaggregate) return new(decodeEngine, null, decision.Reason);
        prefillPool = SameRevision(prefillPool, decodeEngine, routesByRevision);
        if (prefillPool.Length == 0) return new(decodeEngine, null, DecisionReason.NoPrefill);
        var prefillEngine = prefill.Pick(context, prefillPool, exclude: decodeEngine);
        return prefillEngine is null
            ? new(decodeEngine, null, prefillPool.Length == 1 && ReferenceEquals(prefillPool[0], decodeEngine) ? DecisionReason.NoPrefill : DecisionReason.NoHealthyPrefill)
            : new(decodeEngine, prefillEngine, decision.Reason);
    }

    /// <summary>Another prefill engine for a retry after <paramref name="failed"/> (never <paramref name="failed"/> nor <paramref name="decodeEngine"/>).</summary>
    public T? PickPrefillRetry<T>(SchedulingContext context, T[] prefillPool, T failed, T decodeEngine, bool routesByRevision = false)
        where T : class, ISchedulingCandidate
    {
        var pool = SameRevision(prefillPool, decodeEngine, routesByRevision);
        var remaining = new List<T>(pool.Length);
        foreach (var engine in pool)
            if (!ReferenceEquals(engine, failed) && !ReferenceEquals(engine, decodeEngine))
                remaining.Add(engine);
        return prefill.Pick(context, remaining);
    }

    /// <summary>Another decode engine for a retry after <paramref name="failed"/> could not be reached.</summary>
    public T? PickDecodeRetry<T>(SchedulingContext context, T[] decodePool, T failed) where T : class, ISchedulingCandidate =>
        decode.Pick(context, decodePool, exclude: failed);

    /// <summary>
    /// Whether the KV index's matches can change this request's route: a plugin of the decode profile reads them, or,
    /// when prefill engines exist (<paramref name="mayDisaggregate"/>), one of the prefill profile or the decider.
    /// </summary>
    public bool NeedsPrefixMatches(SchedulingContext context, bool mayDisaggregate) =>
        context.HasBlockHashes && (decode.UsesPrefixMatches
        || (mayDisaggregate && (prefill.UsesPrefixMatches || decider.NeedsPrefixMatches(context.PromptTokens))));

    /// <summary>The prefill engines that may hand KV to <paramref name="decodeEngine"/>: all, or those of its revision.</summary>
    private static T[] SameRevision<T>(T[] prefillPool, T decodeEngine, bool routesByRevision) where T : class, ISchedulingCandidate =>
        routesByRevision ? Array.FindAll(prefillPool, e => e.Revision is not null && e.Revision == decodeEngine.Revision) : prefillPool;
}
