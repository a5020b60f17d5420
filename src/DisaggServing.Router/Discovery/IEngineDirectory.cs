using DisaggServing.Router.Endpoints;

namespace DisaggServing.Router.Discovery;

/// <summary>Lists the engines the KV-transfer registry knows.</summary>
public interface IEngineDirectory
{
    /// <summary>Every registered engine.</summary>
    Task<IReadOnlyList<DiscoveredEngine>> ListAsync(CancellationToken cancellationToken);
}
