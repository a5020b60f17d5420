using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using DisaggServing.Topology;
using DisaggServing.Topology.Placement;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

/// <summary>
/// Topology-level faults in the dashboard: on each simulated replica, <em>Fail node …</em> crashes every replica placed
/// on its virtual node, and <em>Fail zone …</em> every replica on a node of its zone (<see cref="FaultDomains"/>) — what
/// losing an instance or an availability zone does to the topology.
/// </summary>
internal static class TopologyFaultCommands
{
    public static void WithTopologyFaultCommands(this IResourceBuilder<ProjectResource> replica, TopologySpec topology, TopologyPlacement placement, ReplicaPlacement placed)
    {
        var node = FaultDomains.NodeName(placement, placed.Node);
        var onNode = FaultDomains.ReplicasOnNode(placement, placed.Node);
        var zone = FaultDomains.ZoneOf(topology, placement, placed.Node);
        var inZone = FaultDomains.ReplicasInZone(topology, placement, zone);
        replica.WithCrashAll("fail-node", $"Fail node {node}", $"Crash every replica on {node}: {string.Join(", ", onNode)}.", onNode);
        replica.WithCrashAll("fail-zone", $"Fail zone {zone}", $"Crash every replica in {zone}: {string.Join(", ", inZone)}.", inZone);
    }

    private static void WithCrashAll(this IResourceBuilder<ProjectResource> replica, string name, string displayName, string description, IReadOnlyList<string> victims) =>
        replica.WithCommand(name, displayName, async context =>
        {
            var model = context.Services.GetRequiredService<DistributedApplicationModel>();
            var crashed = new List<string>();
            foreach (var victim in model.Resources.OfType<ProjectResource>().Where(r => victims.Contains(r.Name)))
            {
                try
                {
                    using var http = new HttpClient { BaseAddress = new Uri(victim.GetEndpoint(KnownEndpoints.Http).Url), Timeout = TimeSpan.FromSeconds(5) };
                    using var response = await http.PostAsJsonAsync("/admin/faults", new { crash = true }, context.CancellationToken).ConfigureAwait(false);
                    crashed.Add(victim.Name);
                }
                catch (HttpRequestException)
                {
                    crashed.Add(victim.Name); // it may exit before it answers, or be down already
                }
            }
            return crashed.Count > 0 ? CommandResults.Success() : CommandResults.Failure("No replica of this fault domain is running.");
        }, new CommandOptions
        {
            Description = description,
            ConfirmationMessage = description,
            IconName = "Warning",
            IsHighlighted = false,
        });
}
