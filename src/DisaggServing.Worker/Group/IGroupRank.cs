namespace DisaggServing.Worker.Group;

/// <summary>This process's view of its group, for readiness: the leader is ready once every rank joined, a rank once it joined.</summary>
public interface IGroupRank
{
    bool IsReady { get; }

    /// <summary>One line for /health and the logs: <c>2/2 ranks joined</c>.</summary>
    string Describe();
}
