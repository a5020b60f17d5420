using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DisaggServing.Topology;

namespace DisaggServing.Hosting.Tests;

/// <summary>The dashboard's topology-level faults: each replica can fail its virtual node or its zone.</summary>
public class TopologyFaultCommandTests
{
    [Fact]
    public void Each_replica_offers_to_fail_its_node_naming_every_replica_on_it_and_its_zone()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddDisaggTopology<FakeProjects.Worker, FakeProjects.Router, FakeProjects.KvTransfer>(ReferenceTopologies.Get("llama70b-pd"));
        var replica = Assert.IsAssignableFrom<ProjectResource>(Assert.Single(builder.Resources, r => r.Name == "decode-0"));
        var commands = replica.Annotations.OfType<ResourceCommandAnnotation>().ToList();

        var node = Assert.Single(commands, c => c.Name == "fail-node");
        Assert.StartsWith("Fail node ", node.DisplayName);
        Assert.Contains("decode-0", node.DisplayDescription);
        var zone = Assert.Single(commands, c => c.Name == "fail-zone");
        Assert.StartsWith("Fail zone ", zone.DisplayName);
        Assert.Contains("prefill-0", zone.DisplayDescription); // one zone: every replica
    }
}
