using System.Globalization;
using DisaggServing.Engine.Catalog;
using DisaggServing.Topology;
using DisaggServing.Topology.Placement;

namespace DisaggServing.Hosting.Gpus;

/// <summary>
/// Maps a topology's placement onto this machine's GPUs. The GPU slots the placement uses (virtual node, GPU index)
/// are taken in order, node by node, and given the matching local GPUs in index order, so the pods of one virtual node
/// get neighbouring GPUs and every pod's GPUs are its own. Pools of different GPU kinds draw from the GPUs of their kind.
/// </summary>
public static class LocalGpuAllocator
{
    /// <summary>
    /// The allocation, or a <see cref="GpuAllocationException"/> whose one-line message says how many GPUs of which kind
    /// the topology needs and what <paramref name="gpus"/> holds.
    /// </summary>
    public static LocalGpuAllocation Allocate(TopologySpec spec, TopologyPlacement placement, IReadOnlyList<LocalGpu> gpus)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(gpus);
        var byPod = new Dictionary<(string, int), IReadOnlyList<LocalGpu>>();
        var taken = new HashSet<int>();
        var shortage = false;
        foreach (var (kind, replicas) in ByKind(spec, placement))
        {
            var slots = replicas.SelectMany(r => r.Pods).SelectMany(p => p.Gpus.Select(g => (p.Node, Gpu: g))).Distinct().Order().ToList();
            var candidates = gpus.Where(g => !taken.Contains(g.Index) && GpuKind.Matches(kind, g)).OrderBy(g => g.Index).ToList();
            if (candidates.Count < slots.Count)
            {
                shortage = true;
                continue;
            }

            var local = slots.Select((slot, i) => (slot, gpu: candidates[i])).ToDictionary(x => x.slot, x => x.gpu);
            foreach (var gpu in local.Values) taken.Add(gpu.Index);
            foreach (var replica in replicas)
                foreach (var pod in replica.Pods)
                    byPod[(replica.Name, pod.Rank)] = pod.Gpus.Select(g => local[(pod.Node, g)]).ToList();
        }

        if (shortage) throw new GpuAllocationException(Shortfall(spec, placement, gpus, found: true));
        return new LocalGpuAllocation(byPod);
    }

    /// <summary>What the topology needs: <c>8 GPUs (8 × h100-sxm, NVIDIA H100 SXM 80GB)</c>.</summary>
    public static string Needs(TopologySpec spec, TopologyPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(placement);
        var kinds = ByKind(spec, placement).Select(k => (k.Kind, Count: k.Replicas.Sum(r => r.Pods.Sum(p => p.Gpus.Count)))).ToList();
        var total = kinds.Sum(k => k.Count);
        return string.Create(CultureInfo.InvariantCulture,
            $"{total} GPU{(total == 1 ? "" : "s")} ({string.Join(", ", kinds.Select(k => $"{k.Count} × {k.Kind.Id}, {k.Kind.Name}"))})");
    }

    /// <summary>The one-line message when the GPUs do not suffice or cannot be listed (<paramref name="found"/> false: <paramref name="gpus"/> is ignored).</summary>
    internal static string Shortfall(TopologySpec spec, TopologyPlacement placement, IReadOnlyList<LocalGpu> gpus, bool found, string? why = null)
    {
        var needs = $"Topology '{spec.Name}' needs {Needs(spec, placement)} to run on vLLM (Topology:Local:Engine=Vllm)";
        string saw;
        if (!found)
        {
            saw = $"but the GPUs could not be listed: {why}";
        }
        else if (gpus.Count == 0)
        {
            saw = "but nvidia-smi found no GPU";
        }
        else
        {
            var names = string.Join(", ", gpus.GroupBy(g => g.Name).Select(g => $"{g.Count()} × {g.Key}"));
            var usable = string.Join(", ", ByKind(spec, placement).Select(k => $"{gpus.Count(g => GpuKind.Matches(k.Kind, g))} {k.Kind.Id}"));
            saw = string.Create(CultureInfo.InvariantCulture, $"but nvidia-smi found {gpus.Count} GPU{(gpus.Count == 1 ? "" : "s")} ({names}), usable as {usable}");
        }

        return $"{needs}, {saw}. Run fewer or smaller replicas (Topology:Pools:N:Replicas, TensorParallel), or Topology:Local:Engine=Simulated.";
    }

    private static List<(GpuSpec Kind, List<ReplicaPlacement> Replicas)> ByKind(TopologySpec spec, TopologyPlacement placement) =>
        placement.Replicas
            .GroupBy(r => ResolvedPool.Resolve(spec.FindPool(r.Pool)!).Gpu.Id, StringComparer.Ordinal)
            .Select(g => (GpuCatalog.Get(g.Key), g.ToList()))
            .ToList();
}
