using DisaggServing.Scheduling;
using DisaggServing.Scheduling.Configuration;
using DisaggServing.Scheduling.Plugins;

namespace DisaggServing.Engine.Simulation;

/// <summary>
/// The router inside a simulated cluster: the router's own profiles and P/D decider (the scheduling library's
/// <see cref="PdProfileHandler"/>) over the simulated engines, with the KV index their events keep. Counts why each
/// request took its route. One request at a time, on one thread: the context is reused.
/// </summary>
internal sealed class SimRouter
{
    private readonly PdProfileHandler _handler;
    private readonly SchedulingContext _context;
    private readonly int[] _reasons = new int[Enum.GetValues<DecisionReason>().Length];

    public SimRouter(RoutingProfiles routing, int minUncachedTokens, int blockSize)
    {
        var registry = BuiltInPlugins.CreateRegistry();
        var options = new SchedulingOptions();
        try
        {
            _handler = new PdProfileHandler(
                registry.Build(routing.Decode, options, StoppedClock.Instance),
                registry.Build(routing.Prefill, options, StoppedClock.Instance),
                new PdDecider(minUncachedTokens));
        }
        catch (InvalidOperationException e)
        {
            throw new InputException(e.Message, e);
        }
        _context = new SchedulingContext(blockSize);
        BlockSize = blockSize;
    }

    /// <summary>Tokens per KV block the router hashes prompts in.</summary>
    public int BlockSize { get; }

    /// <summary>The KV index; null when no plugin nor the decider reads prefix matches (the engines then publish no events).</summary>
    public SimKvIndex? Index { get; private set; }

    /// <summary>Whether prefix matches could change a route; the host then keeps an <see cref="Index"/>.</summary>
    public bool UsesPrefixMatches =>
        _handler.DecodeProfile.UsesPrefixMatches || _handler.PrefillProfile.UsesPrefixMatches || _handler.Decider.MinUncachedTokens > 0;

    /// <summary>Starts an index for the engines' events to keep.</summary>
    public SimKvIndex KeepIndex() => Index ??= new SimKvIndex();

    /// <summary>
    /// The decode engine, then the decision, then (for P/D) the prefill engine for a prompt of
    /// <paramref name="promptTokens"/> whose full blocks hash to <paramref name="blockHashes"/>.
    /// </summary>
    public SchedulingResult<SimEngine> Route(string requestId, int promptTokens, ulong[] blockHashes, SimEngine[] decodePool, SimEngine[] prefillPool)
    {
        _context.Reset(requestId, promptTokens, blockHashes);
        if (Index is { } index && _handler.NeedsPrefixMatches(_context, prefillPool.Length > 0))
            _context.PrefixMatches = index.FindLongestPrefix(blockHashes);
        var result = _handler.Schedule(_context, decodePool, prefillPool);
        _reasons[(int)result.Reason]++;
        return result;
    }

    /// <summary>Requests per decision reason label, for the reasons that occurred.</summary>
    public Dictionary<string, int> DecisionCounts()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _reasons.Length; i++)
            if (_reasons[i] > 0) counts[((DecisionReason)i).Label()] = _reasons[i];
        return counts;
    }
}
