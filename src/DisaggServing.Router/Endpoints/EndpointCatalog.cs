using System.Net;
using DisaggServing.Router.Configuration;

namespace DisaggServing.Router.Endpoints;

/// <summary>
/// The prefill and decode pools. An engine of role <c>both</c> (or an address listed for both roles) is one
/// <see cref="EngineEndpoint"/> in both pools, so its load and health are shared. A configured pool (static URLs and/or
/// DNS entries) wins over discovery, which then only names its engines and reports load; its DNS entries are
/// re-resolved into one endpoint per address (<see cref="ApplyDns"/>).
/// </summary>
public sealed class EndpointCatalog
{
    private readonly Lock _gate = new();
    private readonly EngineSource[] _prefillSources;
    private readonly EngineSource[] _decodeSources;
    private readonly Dictionary<EngineSource, string[]> _resolved = [];
    private Dictionary<string, EngineEndpoint> _byAddress = new(StringComparer.OrdinalIgnoreCase);
    private IReadOnlyDictionary<string, string>? _revisionsByHost;

    /// <summary>A catalog from the configured lists (either may be empty): http(s) base URLs or <c>dns:///host:port</c> entries.</summary>
    public EndpointCatalog(IEnumerable<string> prefill, IEnumerable<string> decode)
    {
        _prefillSources = Parse(prefill);
        _decodeSources = Parse(decode);
        DnsSources = [.. _prefillSources.Concat(_decodeSources).Where(s => s.IsDns).Distinct()];
        var next = new Dictionary<string, EngineEndpoint>(StringComparer.OrdinalIgnoreCase);
        Prefill = new EndpointPool(Members(_prefillSources, next), _prefillSources.Length > 0);
        Decode = new EndpointPool(Members(_decodeSources, next), _decodeSources.Length > 0);
        _byAddress = next;
    }

    /// <summary>A catalog from <paramref name="options"/>' lists.</summary>
    public EndpointCatalog(RouterOptions options) : this(options.Prefill, options.Decode)
    {
    }

    /// <summary>Prefill candidates.</summary>
    public EndpointPool Prefill { get; }

    /// <summary>Decode candidates.</summary>
    public EndpointPool Decode { get; }

    /// <summary>The distinct DNS entries of both lists, to be resolved periodically.</summary>
    public IReadOnlyList<EngineSource> DnsSources { get; }

    /// <summary>Every distinct endpoint of both pools.</summary>
    public IReadOnlyCollection<EngineEndpoint> All
    {
        get
        {
            lock (_gate) return [.. _byAddress.Values];
        }
    }

    /// <summary>
    /// True once <see cref="ApplyRevisions"/> has run: prefill and decode are then paired within one revision, and an
    /// engine of no known revision is not routed to.
    /// </summary>
    public bool RoutesByRevision => Volatile.Read(ref _revisionsByHost) is not null;

    /// <summary>
    /// Records which revision each engine host (pod IP) belongs to and tags every endpoint with it (null when its host
    /// is in no revision); endpoints added later are tagged from the same map.
    /// </summary>
    public void ApplyRevisions(IReadOnlyDictionary<string, string> revisionsByHost)
    {
        ArgumentNullException.ThrowIfNull(revisionsByHost);
        lock (_gate)
        {
            Volatile.Write(ref _revisionsByHost, revisionsByHost);
            TagRevisions();
        }
    }

    /// <summary>
    /// Makes the engines behind <paramref name="source"/> exactly <paramref name="addresses"/> in every pool listing it,
    /// keeping the state of engines that stay. Returns whether the set of addresses changed.
    /// </summary>
    public bool ApplyDns(EngineSource source, IEnumerable<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(addresses);
        if (!DnsSources.Contains(source)) throw new ArgumentException($"{source} is not a configured DNS entry.", nameof(source));
        string[] next = [.. addresses.Select(source.AddressOf).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];
        lock (_gate)
        {
            if (_resolved.TryGetValue(source, out var previous) && previous.SequenceEqual(next, StringComparer.OrdinalIgnoreCase)) return false;
            _resolved[source] = next;
            var members = new Dictionary<string, EngineEndpoint>(StringComparer.OrdinalIgnoreCase);
            if (Prefill.IsConfigured) Prefill.Replace(Members(_prefillSources, members));
            if (Decode.IsConfigured) Decode.Replace(Members(_decodeSources, members));
            Reindex();
            return true;
        }
    }

    /// <summary>
    /// Applies a registry listing: names configured endpoints and records their load (when <paramref name="applyLoad"/>), and
    /// makes each unconfigured pool exactly the listed engines of its role (<c>both</c> counts for either).
    /// </summary>
    public void ApplyDiscovery(IReadOnlyList<DiscoveredEngine> engines, bool applyLoad)
    {
        lock (_gate)
        {
            var next = new Dictionary<string, EngineEndpoint>(StringComparer.OrdinalIgnoreCase);
            var prefill = new List<EngineEndpoint>();
            var decode = new List<EngineEndpoint>();
            foreach (var engine in engines)
            {
                string address;
                try { address = EngineEndpoint.NormalizeAddress(engine.HttpAddress); }
                catch (ArgumentException) { continue; }
                var endpoint = _byAddress.GetValueOrDefault(address) ?? next.GetValueOrDefault(address) ?? new EngineEndpoint(address);
                endpoint.EngineId = engine.EngineId;
                if (applyLoad && engine.Load is { } load) endpoint.Load = load;
                next[address] = endpoint;
                if (IsRole(engine.Role, "prefill")) prefill.Add(endpoint);
                if (IsRole(engine.Role, "decode")) decode.Add(endpoint);
            }
            if (!Prefill.IsConfigured) Prefill.Replace([.. prefill]);
            if (!Decode.IsConfigured) Decode.Replace([.. decode]);
            Reindex();
        }
    }

    // The pool's endpoints in list order: static URLs as given, DNS entries as last resolved (none before the first
    // resolution). Endpoints are reused from the index, or from `members` when the other pool just made them.
    private EngineEndpoint[] Members(EngineSource[] sources, Dictionary<string, EngineEndpoint> members)
    {
        var result = new List<EngineEndpoint>();
        foreach (var source in sources)
        {
            var addresses = source.IsDns ? _resolved.GetValueOrDefault(source) ?? [] : [source.Address!];
            foreach (var address in addresses)
            {
                var endpoint = members.GetValueOrDefault(address) ?? _byAddress.GetValueOrDefault(address) ?? new EngineEndpoint(address);
                members[address] = endpoint;
                if (!result.Contains(endpoint)) result.Add(endpoint);
            }
        }
        return [.. result];
    }

    private void Reindex()
    {
        var members = new Dictionary<string, EngineEndpoint>(StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in Prefill.Snapshot) members[endpoint.Address] = endpoint;
        foreach (var endpoint in Decode.Snapshot) members[endpoint.Address] = endpoint;
        _byAddress = members;
        TagRevisions();
    }

    private void TagRevisions()
    {
        if (_revisionsByHost is not { } revisions) return;
        foreach (var endpoint in _byAddress.Values)
            endpoint.Revision = revisions.GetValueOrDefault(new Uri(endpoint.Address).IdnHost.Trim('[', ']'));
    }

    private static EngineSource[] Parse(IEnumerable<string> entries) =>
        [.. entries.Where(e => !string.IsNullOrWhiteSpace(e)).Select(EngineSource.Parse).Distinct()];

    private static bool IsRole(string role, string wanted) =>
        string.Equals(role, wanted, StringComparison.OrdinalIgnoreCase) || string.Equals(role, "both", StringComparison.OrdinalIgnoreCase);
}
