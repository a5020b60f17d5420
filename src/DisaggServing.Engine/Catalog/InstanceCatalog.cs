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

    /// <summary>The region prices default to.</summary>
    public const string DefaultRegion = "us-east-1";

    // On-demand Linux $/hour, per region. Source: the Amazon EC2 On-Demand Pricing page
    // (https://aws.amazon.com/ec2/pricing/on-demand/), after AWS's June 2025 price cut for P4 and P5 instances
    // ("Announcing up to 45% price reduction for Amazon EC2 NVIDIA GPU-accelerated instances", AWS What's New,
    // 2025-06-05). US East (N. Virginia) and US West (Oregon) list the same prices for these types. P5e is sold
    // through Capacity Blocks rather than on demand in most regions: it is priced as P5en (same H200 GPUs).
    // Prices change; `disagg plan --prices FILE` takes a user's own (reserved, spot, negotiated).
    private static readonly Dictionary<string, double> UsEastPrices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["p5.48xlarge"] = 55.04,
        ["p5e.48xlarge"] = 63.30,
        ["p5en.48xlarge"] = 63.30,
        ["p4d.24xlarge"] = 21.96,
        ["p4de.24xlarge"] = 27.45,
        ["p6-b200.48xlarge"] = 113.93,
    };

    private static readonly Dictionary<string, IReadOnlyDictionary<string, double>> PricesByRegion = new(StringComparer.OrdinalIgnoreCase)
    {
        ["us-east-1"] = UsEastPrices,
        ["us-west-2"] = UsEastPrices,
    };

    /// <summary>Regions with on-demand prices.</summary>
    public static IReadOnlyCollection<string> PricedRegions => PricesByRegion.Keys;

    /// <summary>On-demand $/hour of every priced instance type in <paramref name="region"/>; an <see cref="InputException"/> for an unpriced region.</summary>
    public static IReadOnlyDictionary<string, double> OnDemandUsdPerHour(string region = DefaultRegion) =>
        PricesByRegion.TryGetValue(region?.Trim() ?? "", out var prices)
            ? prices
            : throw new InputException($"No on-demand prices for region '{region}'. Priced regions: {string.Join(", ", PricesByRegion.Keys)}; or give --prices FILE.");

    /// <summary>The instance type with this id; an <see cref="InputException"/> listing the known ids otherwise.</summary>
    public static InstanceTypeSpec Get(string id, string field = "--instance-type") => UnknownId.Lookup(ById, id, "instance type", field);

    /// <summary>The default instance type for nodes of <paramref name="gpu"/> (the first listed with it).</summary>
    public static InstanceTypeSpec ForGpu(GpuSpec gpu) =>
        ById.Values.FirstOrDefault(i => i.Gpu.Id == gpu.Id)
        ?? throw new InputException($"No instance type in the catalog carries GPU '{gpu.Id}'. Known instance types: {string.Join(", ", ById.Keys)}.");
}
