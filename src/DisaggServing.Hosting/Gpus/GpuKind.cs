using System.Text.RegularExpressions;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Hosting.Gpus;

/// <summary>
/// Whether a GPU of this machine is the catalog GPU a pool asks for. nvidia-smi names products differently from the
/// catalog (<c>NVIDIA H100 80GB HBM3</c> for <c>h100-sxm</c>, <c>NVIDIA A100-SXM4-40GB</c> for <c>a100-40g</c>), so a
/// GPU matches by family (H100, H200, B200, A100: the catalog name's model number, as a whole word) and by memory (at
/// least 95% of the catalog's, which tells the A100 40 GB from the 80 GB). The form factor (SXM, PCIe, NVL) is not
/// checked: it changes speed, not whether the engine runs.
/// </summary>
public static partial class GpuKind
{
    private const double MiB = 1024d * 1024;

    /// <summary>True when <paramref name="gpu"/> can stand for <paramref name="spec"/>.</summary>
    public static bool Matches(GpuSpec spec, LocalGpu gpu)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(gpu);
        var family = Family(spec);
        if (family is null || !Regex.IsMatch(gpu.Name, $@"(?<![A-Za-z0-9]){Regex.Escape(family)}(?![0-9])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            return false;
        return gpu.MemoryMiB is not { } memory || memory * MiB >= spec.HbmBytes * 0.95;
    }

    /// <summary>The model number in the catalog name: <c>H100</c> of <c>NVIDIA H100 SXM 80GB</c>.</summary>
    public static string? Family(GpuSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var match = ModelNumber().Match(spec.Name);
        return match.Success ? match.Value : null;
    }

    [GeneratedRegex(@"\b[A-Z]{1,2}[0-9]{2,4}\b", RegexOptions.CultureInvariant)]
    private static partial Regex ModelNumber();
}
