using DisaggServing.Router.Configuration;

namespace DisaggServing.Router.Endpoints;

/// <summary>
/// The prefill and decode pools. An engine of role <c>both</c> is one <see cref="EngineEndpoint"/> in both pools, so its
/// load and health are shared. Static lists win over discovery; discovery still names their engines and reports load.
/// </summary>
public sealed class EndpointCatalog
{
    private readonly Lock _gate = new();
    private Dictionary<string, EngineEndpoint> _byAddress = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A catalog from the static lists (either may be empty).</summary>
    public EndpointCatalog(IEnumerable<string> prefill, IEnumerable<string> decode)
    {
        var prefillEndpoints = Resolve(prefill);
        var decodeEndpoints = Resolve(decode);
        Prefill = new EndpointPool(prefillEndpoints, prefillEndpoints.Length > 0);
        Decode = new EndpointPool(decodeEndpoints, decodeEndpoints.Length > 0);
    }

    /// <summary>A catalog from <paramref name="options"/>' static lists.</summary>
    public EndpointCatalog(RouterOptions options) : this(options.Prefill, options.Decode)
    {
    }

    /// <summary>Prefill candidates.</summary>
    public EndpointPool Prefill { get; }

    /// <summary>Decode candidates.</summary>
    public EndpointPool Decode { get; }

    /// <summary>Every distinct endpoint of both pools.</summary>
    public IReadOnlyCollection<EngineEndpoint> All
    {
        get
        {
            lock (_gate) return [.. _byAddress.Values];
        }
    }

    /// <summary>
    /// Applies a registry listing: names static endpoints and records their load (when <paramref name="applyLoad"/>), and
    /// makes each non-static pool exactly the listed engines of its role (<c>both</c> counts for either).
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
            if (!Prefill.IsStatic) Prefill.Replace([.. prefill]);
            if (!Decode.IsStatic) Decode.Replace([.. decode]);
            var members = new Dictionary<string, EngineEndpoint>(StringComparer.OrdinalIgnoreCase);
            foreach (var endpoint in Prefill.Snapshot) members[endpoint.Address] = endpoint;
            foreach (var endpoint in Decode.Snapshot) members[endpoint.Address] = endpoint;
            _byAddress = members;
        }
    }

    private EngineEndpoint[] Resolve(IEnumerable<string> addresses)
    {
        var result = new List<EngineEndpoint>();
        lock (_gate)
        {
            foreach (var raw in addresses)
            {
                if (string.IsNullOrWhiteSpace(raw)) continue;
                var address = EngineEndpoint.NormalizeAddress(raw);
                if (!_byAddress.TryGetValue(address, out var endpoint))
                    _byAddress[address] = endpoint = new EngineEndpoint(address);
                if (!result.Contains(endpoint)) result.Add(endpoint);
            }
        }
        return [.. result];
    }

    private static bool IsRole(string role, string wanted) =>
        string.Equals(role, wanted, StringComparison.OrdinalIgnoreCase) || string.Equals(role, "both", StringComparison.OrdinalIgnoreCase);
}
