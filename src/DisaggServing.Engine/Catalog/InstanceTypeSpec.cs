namespace DisaggServing.Engine.Catalog;

/// <summary>An EC2 GPU instance type.</summary>
/// <param name="Id">EC2 instance type, e.g. <c>p5.48xlarge</c>.</param>
/// <param name="Family">Instance family, e.g. <c>p5</c> (what Karpenter's instance-family label matches).</param>
/// <param name="GpuCount">GPUs per instance.</param>
/// <param name="Gpu">GPU model.</param>
/// <param name="EfaInterfaces">EFA network interfaces.</param>
/// <param name="EfaGbps">Total EFA bandwidth, Gbit/s.</param>
/// <param name="VCpus">vCPUs.</param>
/// <param name="MemoryGiB">Host memory, GiB.</param>
public sealed record InstanceTypeSpec(string Id, string Family, int GpuCount, GpuSpec Gpu, int EfaInterfaces, double EfaGbps, int VCpus, int MemoryGiB)
{
    /// <summary>EFA bandwidth available to one GPU when all GPUs send at once, bytes/s.</summary>
    public double EfaBytesPerSecondPerGpu => EfaGbps * 1e9 / 8 / GpuCount;
}
