namespace DisaggServing.Engine.Catalog;

/// <summary>EC2 GPU instance types by id. Source: the AWS EC2 P5, P4 and P6 instance pages.</summary>
public static class InstanceCatalog
{
    /// <summary>8× H100, 32 EFA interfaces, 3,200 Gbps.</summary>
    public static readonly InstanceTypeSpec P5 = new("p5.48xlarge", "p5", 8, GpuCatalog.H100Sxm, 32, 3200, 192, 2048);

    /// <summary>8× H200, 32 EFA interfaces, 3,200 Gbps.</summary>
    public static readonly InstanceTypeSpec P5e = new("p5e.48xlarge", "p5e", 8, GpuCatalog.H200Sxm, 32, 3200, 192, 2048);

    /// <summary>8× H200, 16 EFAv3 devices, 3,200 Gbps.</summary>
    public static readonly InstanceTypeSpec P5en = new("p5en.48xlarge", "p5en", 8, GpuCatalog.H200Sxm, 16, 3200, 192, 2048);

    /// <summary>8× A100 40 GB, 4 EFA interfaces, 400 Gbps.</summary>
    public static readonly InstanceTypeSpec P4d = new("p4d.24xlarge", "p4d", 8, GpuCatalog.A100_40G, 4, 400, 96, 1152);

    /// <summary>8× A100 80 GB, 4 EFA interfaces, 400 Gbps.</summary>
    public static readonly InstanceTypeSpec P4de = new("p4de.24xlarge", "p4de", 8, GpuCatalog.A100_80G, 4, 400, 96, 1152);

    /// <summary>8× B200, 8 EFAv4 interfaces, 3,200 Gbps.</summary>
    public static readonly InstanceTypeSpec P6B200 = new("p6-b200.48xlarge", "p6-b200", 8, GpuCatalog.B200, 8, 3200, 192, 2048);

    private static readonly Dictionary<string, InstanceTypeSpec> ById =
        new[] { P5, P5e, P5en, P4d, P4de, P6B200 }.ToDictionary(i => i.Id, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every instance type, by id.</summary>
    public static IReadOnlyDictionary<string, InstanceTypeSpec> All => ById;

    /// <summary>The instance type with this id; an <see cref="InputException"/> listing the known ids otherwise.</summary>
    public static InstanceTypeSpec Get(string id, string field = "--instance-type") => UnknownId.Lookup(ById, id, "instance type", field);

    /// <summary>The default instance type for nodes of <paramref name="gpu"/> (the first listed with it).</summary>
    public static InstanceTypeSpec ForGpu(GpuSpec gpu) =>
        ById.Values.FirstOrDefault(i => i.Gpu.Id == gpu.Id)
        ?? throw new InputException($"No instance type in the catalog carries GPU '{gpu.Id}'. Known instance types: {string.Join(", ", ById.Keys)}.");
}
