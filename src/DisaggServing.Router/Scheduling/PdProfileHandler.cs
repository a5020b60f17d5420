using DisaggServing.Router.Endpoints;

namespace DisaggServing.Router.Scheduling;

/// <summary>
/// The disaggregated profile handler: runs the decode profile; then, unless the decider sends the request decode-only,
/// the prefill profile. Looks up the KV index once per request when a plugin or the decider can use it.
/// </summary>
public sealed class PdProfileHandler(
    SchedulingProfile decode, SchedulingProfile prefill, PdDecider decider, IPrefixIndex prefixIndex, EndpointCatalog catalog)
{
    /// <summary>The decode profile.</summary>
    public SchedulingProfile DecodeProfile => decode;

    /// <summary>The prefill profile.</summary>
    public SchedulingProfile PrefillProfile => prefill;

    /// <summary>The decider.</summary>
    public PdDecider Decider => decider;

    /// <summary>Chooses the engines for <paramref name="context"/>.</summary>
    public async ValueTask<SchedulingResult> ScheduleAsync(SchedulingContext context, CancellationToken cancellationToken)
    {
        var decodePool = catalog.Decode.Snapshot;
        var prefillPool = catalog.Prefill.Snapshot;
        // Routing by revision: only engines of a revision the DisaggregatedSet published, and a prefill of the decode's own.
        if (catalog.RoutesByRevision) decodePool = Array.FindAll(decodePool, e => e.Revision is not null);
        if (decodePool.Length == 0) return new SchedulingResult(null, null, DecisionReason.NoDecode);
        var mayDisaggregate = prefillPool.Length > 0;
        if (prefixIndex.IsEnabled && context.PrefixMatches is null && NeedsPrefixMatches(context, mayDisaggregate))
            context.PrefixMatches = await prefixIndex.FindLongestPrefixAsync(context.BlockHashes, cancellationToken).ConfigureAwait(false);

        var decodeEndpoint = decode.Pick(context, decodePool);
        if (decodeEndpoint is null) return new SchedulingResult(null, null, DecisionReason.NoHealthyDecode);
        if (!mayDisaggregate) return Routed(context, new SchedulingResult(decodeEndpoint, null, DecisionReason.NoPrefill));
        var decision = decider.Decide(context, decodeEndpoint);
        if (!decision.Disaggregate) return Routed(context, new SchedulingResult(decodeEndpoint, null, decision.Reason));
        prefillPool = SameRevision(prefillPool, decodeEndpoint);
        if (prefillPool.Length == 0) return Routed(context, new SchedulingResult(decodeEndpoint, null, DecisionReason.NoPrefill));
        var prefillEndpoint = prefill.Pick(context, prefillPool, exclude: decodeEndpoint);
        return Routed(context, prefillEndpoint is null
            ? new SchedulingResult(decodeEndpoint, null, prefillPool.Length == 1 && ReferenceEquals(prefillPool[0], decodeEndpoint) ? DecisionReason.NoPrefill : DecisionReason.NoHealthyPrefill)
            : new SchedulingResult(decodeEndpoint, prefillEndpoint, decision.Reason));
    }

    // Both engines end up holding the prompt's KV (the prefill computed it, the decode pulled or computed it): the
    // routing history estimates their caches when their KV events are not in the index. Only prompts that were looked
    // up are recorded — the hashes exist then, and no plugin needs them otherwise.
    private SchedulingResult Routed(SchedulingContext context, SchedulingResult result)
    {
        if (context.PrefixMatches is null) return result;
        var hashes = context.BlockHashes;
        if (result.Decode is { } decodeEndpoint) prefixIndex.Routed(decodeEndpoint, hashes);
        if (result.Prefill is { } prefillEndpoint) prefixIndex.Routed(prefillEndpoint, hashes);
        return result;
    }

    /// <summary>Another prefill engine for a retry after <paramref name="failed"/> (never <paramref name="failed"/> nor <paramref name="decodeEndpoint"/>).</summary>
    public EngineEndpoint? PickPrefillRetry(SchedulingContext context, EngineEndpoint failed, EngineEndpoint decodeEndpoint)
    {
        var pool = SameRevision(catalog.Prefill.Snapshot, decodeEndpoint);
        var remaining = new List<EngineEndpoint>(pool.Length);
        foreach (var endpoint in pool)
            if (!ReferenceEquals(endpoint, failed) && !ReferenceEquals(endpoint, decodeEndpoint))
                remaining.Add(endpoint);
        return prefill.Pick(context, remaining);
    }

    /// <summary>Another decode engine for a retry after <paramref name="failed"/> could not be reached.</summary>
    public EngineEndpoint? PickDecodeRetry(SchedulingContext context, EngineEndpoint failed) =>
        decode.Pick(context, catalog.Decode.Snapshot, exclude: failed);

    /// <summary>The prefill engines that may hand KV to <paramref name="decodeEndpoint"/>: all, or those of its revision.</summary>
    private EngineEndpoint[] SameRevision(EngineEndpoint[] prefillPool, EngineEndpoint decodeEndpoint) =>
        catalog.RoutesByRevision ? Array.FindAll(prefillPool, e => e.Revision is not null && e.Revision == decodeEndpoint.Revision) : prefillPool;

    private bool NeedsPrefixMatches(SchedulingContext context, bool mayDisaggregate) =>
        context.BlockHashes.Length > 0 && (decode.UsesPrefixMatches
        || (mayDisaggregate && (prefill.UsesPrefixMatches || decider.NeedsPrefixMatches(context.Prompt.TokenCount))));
}
