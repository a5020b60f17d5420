using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using DisaggServing.Topology;
using DisaggServing.Topology.Placement;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

/// <summary>
/// A multi-node replica (PP &gt; 1) on simulated GPUs: the leader is the replica's Worker (it serves and simulates the
/// whole pipeline) and takes joins on its <c>dist</c> port; every other rank is a Worker process in its rank role,
/// holding its own GPUs, that joins the leader. The leader is ready only once all ranks joined.
/// </summary>
internal static class SimulatedGroupExtensions
{
    public static void AddSimulatedGroup<TWorker>(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> leader,
        TopologySpec topology, ResolvedPool resolved, TopologyPlacement placement, ReplicaPlacement replica, IEnumerable<ResourcePropertySnapshot> poolProperties)
        where TWorker : IProjectMetadata, new()
    {
        var pool = resolved.Pool;
        leader
            .WithEndpoint(name: KnownEndpoints.Dist, scheme: "tcp", env: WorkerEnvironment.MasterPort, isProxied: false)
            .WithLwsEnvironment(pool, workerIndex: 0);
        var masterPort = leader.GetEndpoint(KnownEndpoints.Dist).Property(EndpointProperty.TargetPort);
        var workers = new List<IResource>();
        foreach (var pod in replica.Pods.Where(p => p.Rank > 0))
        {
            var name = LwsGroups.RankName(replica, pod.Rank);
            var node = DisaggServingResourceBuilderExtensions.NodeName(placement, pod.Node);
            var rank = builder.AddProject<TWorker>(name, p => p.ExcludeLaunchProfile = true)
                .WithParentRelationship(leader)
                .ExcludeFromManifest()
                .WithHttpEndpoint(name: KnownEndpoints.Http, env: WorkerEnvironment.HttpPort, isProxied: false)
                .WithHttpHealthCheck("/health", endpointName: KnownEndpoints.Http);
            foreach (var (key, value) in WorkerEnvironment.ForPool(topology, resolved))
                rank.WithEnvironment(key, value);
            rank.WithEnvironment(WorkerEnvironment.EngineId, name)
                .WithEnvironment(WorkerEnvironment.Node, node)
                .WithEnvironment(WorkerEnvironment.GpuIndices, string.Join(",", pod.Gpus.Select(g => g.ToString(CultureInfo.InvariantCulture))))
                .WithEnvironment(WorkerEnvironment.AdvertisedHost, LwsGroups.LeaderAddress)
                .WithLwsEnvironment(pool, pod.Rank)
                .WithEnvironment(WorkerEnvironment.MasterPort, ReferenceExpression.Create($"{masterPort}"));

            List<ResourcePropertySnapshot> properties = [.. poolProperties, .. LwsGroups.RankProperties(replica, pod, node)];
            builder.Eventing.Subscribe<ResourceReadyEvent>(rank.Resource, (e, _) =>
                e.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(rank.Resource, s => s with
                {
                    Properties = [.. s.Properties.Where(p => !p.Name.StartsWith("disagg.", StringComparison.Ordinal)), .. properties],
                }));
            workers.Add(rank.Resource);
        }

        LwsGroups.AddGroup(builder, leader.Resource, workers);
    }
}
