namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// On a group leader: the resources of its LeaderWorkerSet group, leader first (<c>pool-0</c>, <c>pool-0-1</c>, …, named
/// as LeaderWorkerSet names its pods), recreated together when one of them stops (<c>RecreateGroupOnPodRestart</c>).
/// </summary>
public sealed class LwsGroupAnnotation(string name) : IResourceAnnotation
{
    /// <summary>The group's name: its leader's (the replica's) name.</summary>
    public string Name { get; } = name;

    /// <summary>Every rank, by worker index.</summary>
    public List<IResource> Ranks { get; } = [];
}
