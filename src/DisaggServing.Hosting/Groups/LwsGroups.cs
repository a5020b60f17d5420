using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using DisaggServing.Topology;
using DisaggServing.Topology.Placement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting;

/// <summary>
/// What every local LeaderWorkerSet group shares, simulated or vLLM: rank resources named as LeaderWorkerSet names its
/// pods (<c>pool-0</c> the leader, <c>pool-0-1</c>, … its workers, children of the leader in the dashboard), the
/// environment LeaderWorkerSet injects, the group annotation and the supervisor that recreates a group whole.
/// </summary>
internal static class LwsGroups
{
    /// <summary>Where every local rank finds its leader: the processes share this machine's loopback.</summary>
    public const string LeaderAddress = "127.0.0.1";

    /// <summary>The resource name of rank <paramref name="workerIndex"/> of <paramref name="replica"/> (the leader keeps the replica's name).</summary>
    public static string RankName(ReplicaPlacement replica, int workerIndex) =>
        workerIndex == 0 ? replica.Name : string.Create(CultureInfo.InvariantCulture, $"{replica.Name}-{workerIndex}");

    /// <summary>Marks <paramref name="leader"/> as the head of a group whose other ranks are <paramref name="workers"/>, and makes sure the group is supervised.</summary>
    public static void AddGroup(IDistributedApplicationBuilder builder, IResource leader, IEnumerable<IResource> workers)
    {
        var group = new LwsGroupAnnotation(leader.Name);
        group.Ranks.Add(leader);
        group.Ranks.AddRange(workers);
        builder.CreateResourceBuilder(leader).WithAnnotation(group);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LwsGroupSupervisor>());
    }

    /// <summary>The LeaderWorkerSet environment of one rank.</summary>
    public static IResourceBuilder<T> WithLwsEnvironment<T>(this IResourceBuilder<T> rank, TopologyPool pool, int workerIndex)
        where T : IResourceWithEnvironment
    {
        foreach (var (key, value) in WorkerEnvironment.ForRank(LeaderAddress, pool.EffectiveLwsSize, workerIndex))
            rank.WithEnvironment(key, value);
        return rank;
    }

    /// <summary>What the dashboard shows of a rank besides its pool: the group, the rank and its own node and GPUs.</summary>
    public static IEnumerable<ResourcePropertySnapshot> RankProperties(ReplicaPlacement replica, PodPlacement pod, string node) =>
    [
        new("disagg.lws_group", replica.Name),
        new("disagg.lws_worker_index", pod.Rank),
        new("disagg.node", node),
        new("disagg.gpu_indices", string.Join(",", pod.Gpus)),
    ];
}
