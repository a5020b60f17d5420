using DisaggServing.Engine.Catalog;
using DisaggServing.Hosting.Gpus;
using DisaggServing.Topology;
using DisaggServing.Topology.Placement;

namespace DisaggServing.Hosting.Tests;

public class GpuDiscoveryTests
{
    [Fact]
    public void Nvidia_smi_csv_is_read_index_name_memory_and_uuid()
    {
        var gpus = NvidiaSmiGpuDiscovery.Parse("1, NVIDIA H100 80GB HBM3, 81559, GPU-b\n0, NVIDIA H100 80GB HBM3, 81559, GPU-a\n\n2, Odd, Name, [N/A], GPU-c\n");
        Assert.Equal([0, 1, 2], gpus.Select(g => g.Index));
        Assert.Equal(new LocalGpu(0, "NVIDIA H100 80GB HBM3", 81559, "GPU-a"), gpus[0]);
        Assert.Equal(new LocalGpu(2, "Odd, Name", null, "GPU-c"), gpus[2]);
    }

    [Fact]
    public void A_header_and_units_are_tolerated()
    {
        var gpus = NvidiaSmiGpuDiscovery.Parse("index, name, memory.total [MiB], uuid\n0, NVIDIA H200, 143771 MiB, GPU-a\n");
        Assert.Equal(new LocalGpu(0, "NVIDIA H200", 143771, "GPU-a"), Assert.Single(gpus));
    }

    [Fact]
    public void The_answer_an_H200_gave_reads_as_one_h200_sxm()
    {
        // nvidia-smi 580.159.04's answer to the query on one NVIDIA H200 (tools/gpu-check/run.sh, December 2026).
        var gpu = Assert.Single(NvidiaSmiGpuDiscovery.Parse("0, NVIDIA H200, 143771, GPU-bfeddb19-12a2-c87c-0b29-9b66ac36c7c8\n"));
        Assert.Equal(new LocalGpu(0, "NVIDIA H200", 143771, "GPU-bfeddb19-12a2-c87c-0b29-9b66ac36c7c8"), gpu);
        Assert.True(GpuKind.Matches(GpuCatalog.Get("h200-sxm"), gpu));
        Assert.Equal("h200-sxm", GpuCatalog.Get(gpu.Name).Id);
        Assert.All(GpuCatalog.All.Values.Where(g => g.Id != "h200-sxm"), other => Assert.False(GpuKind.Matches(other, gpu)));
    }

    [Theory]
    [InlineData("NVIDIA H100 80GB HBM3")]
    [InlineData("x, name, memory.total, uuid")]
    [InlineData("0, A, 1, GPU-a\n0, B, 1, GPU-b")]
    public void Output_that_is_not_the_query_is_refused(string csv) =>
        Assert.Throws<GpuDiscoveryException>(() => NvidiaSmiGpuDiscovery.Parse(csv));

    [Fact]
    public void A_missing_nvidia_smi_says_so()
    {
        var error = Assert.Throws<GpuDiscoveryException>(() => new NvidiaSmiGpuDiscovery("/nonexistent/nvidia-smi").Discover());
        Assert.Contains("was not found", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("h100-sxm", "NVIDIA H100 80GB HBM3", 81559, true)]
    [InlineData("h100-sxm", "NVIDIA H100 PCIe", 81559, true)]
    [InlineData("h100-sxm", "NVIDIA H100 NVL", 95830, true)]
    [InlineData("h100-sxm", "NVIDIA H200", 143771, false)]
    [InlineData("h100-sxm", "NVIDIA GH100", 81559, false)]
    [InlineData("h200-sxm", "NVIDIA H200", 143771, true)]
    [InlineData("b200", "NVIDIA B200", 183359, true)]
    [InlineData("a100-80g", "NVIDIA A100-SXM4-80GB", 81920, true)]
    [InlineData("a100-80g", "NVIDIA A100-SXM4-40GB", 40960, false)]
    [InlineData("a100-40g", "NVIDIA A100-SXM4-40GB", 40960, true)]
    [InlineData("h100-sxm", "Tesla T4", 15360, false)]
    public void A_local_gpu_matches_a_catalog_gpu_by_family_and_memory(string catalog, string name, long mib, bool matches) =>
        Assert.Equal(matches, GpuKind.Matches(GpuCatalog.Get(catalog), new LocalGpu(0, name, mib, "GPU-0")));

    [Fact]
    public void Every_pod_gets_its_own_gpus_neighbours_on_one_virtual_node()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd"); // 2 prefill + 4 decode of TP=4: 24 GPUs on 3 virtual nodes
        var placement = TopologyPlacement.Plan(spec);
        var allocation = LocalGpuAllocator.Allocate(spec, placement, H100s(26));
        var all = placement.Replicas.SelectMany(r => allocation.For(r.Name)).Select(g => g.Index).ToList();
        Assert.Equal(Enumerable.Range(0, 24), all.Order());
        Assert.Equal([0, 1, 2, 3], allocation.For("prefill-0").Select(g => g.Index));
        Assert.Equal([8, 9, 10, 11], allocation.For("decode-0").Select(g => g.Index));
    }

    [Fact]
    public void Too_few_gpus_fail_with_one_line_naming_what_is_needed_and_found()
    {
        var spec = ReferenceTopologies.Get("local-70b");
        var placement = TopologyPlacement.Plan(spec);
        var error = Assert.Throws<GpuAllocationException>(() => LocalGpuAllocator.Allocate(spec, placement, [.. H100s(4), new LocalGpu(4, "NVIDIA A100-SXM4-40GB", 40960, "GPU-x")]));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("needs 8 GPUs (8 × h100-sxm, NVIDIA H100 SXM 80GB)", error.Message, StringComparison.Ordinal);
        Assert.Contains("nvidia-smi found 5 GPUs (4 × NVIDIA H100 80GB HBM3, 1 × NVIDIA A100-SXM4-40GB), usable as 4 h100-sxm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pools_of_different_gpus_draw_from_their_own_kind()
    {
        var spec = ReferenceTopologies.Get("local-70b");
        spec.Pools[1].InstanceType = "p5e.48xlarge"; // decode on H200
        var placement = TopologyPlacement.Plan(spec);
        List<LocalGpu> gpus = [.. Enumerable.Range(0, 4).Select(i => new LocalGpu(i, "NVIDIA H200", 143771, $"GPU-{i}")), .. H100s(4).Select(g => g with { Index = g.Index + 4 })];
        var allocation = LocalGpuAllocator.Allocate(spec, placement, gpus);
        Assert.All(placement.Replicas.Where(r => r.Pool == "prefill").SelectMany(r => allocation.For(r.Name)), g => Assert.Contains("H100", g.Name, StringComparison.Ordinal));
        Assert.All(placement.Replicas.Where(r => r.Pool == "decode").SelectMany(r => allocation.For(r.Name)), g => Assert.Equal("NVIDIA H200", g.Name));
        Assert.Contains("4 × h100-sxm", LocalGpuAllocator.Needs(spec, placement), StringComparison.Ordinal);
        Assert.Contains("4 × h200-sxm", LocalGpuAllocator.Needs(spec, placement), StringComparison.Ordinal);
    }

    internal static List<LocalGpu> H100s(int count) =>
        Enumerable.Range(0, count).Select(i => new LocalGpu(i, "NVIDIA H100 80GB HBM3", 81559, $"GPU-{i:x8}")).ToList();
}
