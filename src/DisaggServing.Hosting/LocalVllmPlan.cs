using System.Runtime.CompilerServices;
using DisaggServing.Hosting.Gpus;
using DisaggServing.Topology;
using DisaggServing.Topology.Placement;

namespace Aspire.Hosting;

/// <summary>
/// What a local vLLM run needs before anything starts, worked out once per builder and topology: the vLLM command
/// (found), this machine's GPUs (listed and allocated to every replica, disjoint) and each replica's NIXL side-channel
/// ports. Anything missing fails the AppHost with one line saying what the topology needs and what was found.
/// </summary>
internal sealed class LocalVllmPlan
{
    private static readonly ConditionalWeakTable<IDistributedApplicationBuilder, Dictionary<TopologySpec, LocalVllmPlan>> Plans = [];
    private static readonly ConditionalWeakTable<IDistributedApplicationBuilder, IGpuDiscovery> Discoveries = [];

    private readonly Dictionary<string, int> _sideChannelPorts;

    private LocalVllmPlan(string program, IReadOnlyList<string> leadingArgs, TopologyPlacement placement, LocalGpuAllocation gpus, Dictionary<string, int> sideChannelPorts)
    {
        Program = program;
        LeadingArgs = leadingArgs;
        Placement = placement;
        Gpus = gpus;
        _sideChannelPorts = sideChannelPorts;
    }

    /// <summary>The full path of the program that starts vLLM.</summary>
    public string Program { get; }

    /// <summary>Arguments before <c>serve</c> (<c>run vllm</c> of <c>uv run vllm</c>).</summary>
    public IReadOnlyList<string> LeadingArgs { get; }

    /// <summary>The placement the GPUs were allocated from.</summary>
    public TopologyPlacement Placement { get; }

    /// <summary>Each replica's GPUs.</summary>
    public LocalGpuAllocation Gpus { get; }

    /// <summary>The first NIXL side-channel port of a replica.</summary>
    public int SideChannelPort(string replica) => _sideChannelPorts[replica];

    /// <summary>Lists GPUs with <paramref name="discovery"/> instead of nvidia-smi for models built by <paramref name="builder"/> (tests).</summary>
    public static void UseGpuDiscovery(IDistributedApplicationBuilder builder, IGpuDiscovery discovery) => Discoveries.AddOrUpdate(builder, discovery);

    public static LocalVllmPlan Get(IDistributedApplicationBuilder builder, TopologySpec topology)
    {
        var plans = Plans.GetOrCreateValue(builder);
        lock (plans)
        {
            if (plans.TryGetValue(topology, out var plan)) return plan;
            plan = Make(builder, topology);
            plans[topology] = plan;
            return plan;
        }
    }

    private static LocalVllmPlan Make(IDistributedApplicationBuilder builder, TopologySpec topology)
    {
        // Local placement: every pool on one set of nodes, since this machine's GPUs are one pool of devices.
        var placement = TopologyValidation.Ensure(builder, topology).LocalPlacement;
        var discovery = Discoveries.TryGetValue(builder, out var given) ? given : new NvidiaSmiGpuDiscovery();
        IReadOnlyList<LocalGpu> found;
        try
        {
            found = discovery.Discover();
        }
        catch (GpuDiscoveryException e)
        {
            throw new DistributedApplicationException(LocalGpuAllocator.Shortfall(topology, placement, [], found: false, why: e.Message), e);
        }

        LocalGpuAllocation gpus;
        try
        {
            gpus = LocalGpuAllocator.Allocate(topology, placement, found);
        }
        catch (GpuAllocationException e)
        {
            throw new DistributedApplicationException(e.Message, e);
        }

        var command = VllmCommandLine.Parse(topology.Local.VllmCommand);
        var program = command.Require();

        // vLLM listens on VLLM_NIXL_SIDE_CHANNEL_PORT + TP rank; engines on one host need disjoint ranges.
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        var next = topology.KvTransfer.SideChannelPortBase;
        foreach (var replica in placement.Replicas)
        {
            ports[replica.Name] = next;
            next += replica.Pods.Sum(p => p.Gpus.Count);
        }

        return new LocalVllmPlan(program, command.LeadingArgs, placement, gpus, ports);
    }
}
