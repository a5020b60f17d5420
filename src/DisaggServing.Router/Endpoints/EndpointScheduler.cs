using DisaggServing.Scheduling;

namespace DisaggServing.Router.Endpoints;

/// <summary>
/// The scheduling library's <see cref="PdProfileHandler"/> over the router's endpoint catalog: asks the KV index once per
/// request when a plugin or the decider can use it, and records where prompts went for the routing-history estimate.
/// </summary>
public sealed class EndpointScheduler(PdProfileHandler handler, IPrefixIndex prefixIndex, EndpointCatalog catalog)
{
    /// <summary>A scheduler over the profiles <paramref name="decode"/> and <paramref name="prefill"/>.</summary>
    public EndpointScheduler(SchedulingProfile decode, SchedulingProfile prefill, PdDecider decider, IPrefixIndex prefixIndex, EndpointCatalog catalog)
        : this(new PdProfileHandler(decode, prefill, decider), prefixIndex, catalog)
    {
    }

    /// <summary>The decode profile.</summary>
    public SchedulingProfile DecodeProfile => handler.DecodeProfile;

    /// <summary>The prefill profile.</summary>
    public SchedulingProfile PrefillProfile => handler.PrefillProfile;

    /// <summary>The decider.</summary>
    public PdDecider Decider => handler.Decider;

    /// <summary>Chooses the engines for <paramref name="context"/>.</summary>
    public async ValueTask<SchedulingResult<EngineEndpoint>> ScheduleAsync(SchedulingContext context, CancellationToken cancellationToken)
    {
        var decodePool = catalog.Decode.Snapshot;
        var prefillPool = catalog.Prefill.Snapshot;
        if (decodePool.Length > 0 && prefixIndex.IsEnabled && context.PrefixMatches is null && handler.NeedsPrefixMatches(context, prefillPool.Length > 0))
            context.PrefixMatches = await prefixIndex.FindLongestPrefixAsync(context.BlockHashes, cancellationToken).ConfigureAwait(false);
        var result = handler.Schedule(context, decodePool, prefillPool, catalog.RoutesByRevision);
        // Both engines end up holding the prompt's KV (the prefill computed it, the decode pulled or computed it): the
        // routing history estimates their caches when their KV events are not in the index. Only prompts that were looked
        // up are recorded — the hashes exist then, and no plugin needs them otherwise.
        if (context.PrefixMatches is not null)
        {
            if (result.Decode is { } decodeEndpoint) prefixIndex.Routed(decodeEndpoint, context.BlockHashes);
            if (result.Prefill is { } prefillEndpoint) prefixIndex.Routed(prefillEndpoint, context.BlockHashes);
        }
        return result;
    }

    /// <summary>Another prefill engine for a retry after <paramref name="failed"/> (never <paramref name="failed"/> nor <paramref name="decodeEndpoint"/>).</summary>
    public EngineEndpoint? PickPrefillRetry(SchedulingContext context, EngineEndpoint failed, EngineEndpoint decodeEndpoint) =>
        handler.PickPrefillRetry(context, catalog.Prefill.Snapshot, failed, decodeEndpoint, catalog.RoutesByRevision);

    /// <summary>Another decode engine for a retry after <paramref name="failed"/> could not be reached.</summary>
    public EngineEndpoint? PickDecodeRetry(SchedulingContext context, EngineEndpoint failed) =>
        handler.PickDecodeRetry(context, catalog.Decode.Snapshot, failed);
}
