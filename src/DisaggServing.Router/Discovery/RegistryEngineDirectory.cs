using DisaggServing.Protocol.KvTransfer;
using DisaggServing.Router.Endpoints;

namespace DisaggServing.Router.Discovery;

/// <summary><see cref="IEngineDirectory"/> over <c>EngineRegistry.ListEngines</c>.</summary>
public sealed class RegistryEngineDirectory(EngineRegistry.EngineRegistryClient client) : IEngineDirectory
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<DiscoveredEngine>> ListAsync(CancellationToken cancellationToken)
    {
        var reply = await client.ListEnginesAsync(new ListEnginesRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var engines = new List<DiscoveredEngine>(reply.Engines.Count);
        foreach (var registered in reply.Engines)
        {
            var info = registered.Engine;
            if (info is null || string.IsNullOrWhiteSpace(info.HttpAddress)) continue;
            var load = registered.Load is { } l ? new EndpointLoad(l.Waiting, l.Running, l.KvUsage) : null;
            engines.Add(new DiscoveredEngine(info.EngineId, info.Role, info.HttpAddress, load));
        }
        return engines;
    }
}
