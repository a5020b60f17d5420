namespace DisaggServing.Router.Discovery;

/// <summary>Where engine hosts' revisions come from (a seam so tests need no API server).</summary>
public interface IRevisionSource
{
    /// <summary>The revision of every engine host (pod IP) of a published revision.</summary>
    Task<IReadOnlyDictionary<string, string>> ListAsync(CancellationToken cancellationToken);
}
