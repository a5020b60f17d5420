using System.Globalization;
using System.Text.RegularExpressions;

namespace DisaggServing.Engine.Catalog;

/// <summary>
/// Other names of the catalogued GPUs: the short names benchmark pages use (<c>h100</c>, <c>a100</c>) and what
/// <c>nvidia-smi --query-gpu=name</c> prints (<c>NVIDIA H100 80GB HBM3</c>). Names are compared case-insensitively with
/// spaces and underscores read as dashes; a spelling not listed is read word by word (<see cref="ByWords"/>). Only the
/// same part is an alias: the H100 PCIe and NVL boards, H20, GB200 and L40S have other clocks, memory or links, and stay
/// unknown rather than borrow a neighbour's constants.
/// </summary>
public static class GpuAliases
{
    /// <summary>Alias (normalized, see <see cref="Normalize"/>) → canonical GPU id.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // nvidia-smi names the SXM5 part "NVIDIA H100 80GB HBM3" (the PCIe board is "NVIDIA H100 PCIe", the NVL "NVIDIA H100 NVL").
        ["h100"] = "h100-sxm", ["h100-80g"] = "h100-sxm", ["h100-80gb"] = "h100-sxm", ["h100-sxm5"] = "h100-sxm",
        ["h100-sxm5-80gb"] = "h100-sxm", ["h100-80gb-hbm3"] = "h100-sxm", ["nvidia-h100-80gb-hbm3"] = "h100-sxm",
        ["nvidia-h100-sxm5-80gb"] = "h100-sxm",

        // nvidia-smi prints "NVIDIA H200" for the SXM part (the NVL board is "NVIDIA H200 NVL").
        ["h200"] = "h200-sxm", ["h200-141g"] = "h200-sxm", ["h200-141gb"] = "h200-sxm", ["nvidia-h200"] = "h200-sxm",

        ["nvidia-b200"] = "b200", ["hgx-b200"] = "b200", ["dgx-b200"] = "b200", ["b200-180gb"] = "b200",

        // nvidia-smi: "NVIDIA A100-SXM4-80GB", "NVIDIA A100-SXM4-40GB" (PCIe boards: "NVIDIA A100-PCIE-40GB", "NVIDIA A100 80GB PCIe").
        ["a100"] = "a100-80g", ["a100-80gb"] = "a100-80g", ["a100-sxm"] = "a100-80g", ["a100-sxm4-80gb"] = "a100-80g",
        ["nvidia-a100-sxm4-80gb"] = "a100-80g",
        ["a100-40gb"] = "a100-40g", ["a100-sxm4-40gb"] = "a100-40g", ["nvidia-a100-sxm4-40gb"] = "a100-40g",
    };

    // Words that name the vendor, the server or the SXM form factor and memory technology of the catalogued parts.
    private static readonly HashSet<string> Decoration = new(StringComparer.Ordinal) { "nvidia", "hgx", "dgx", "sxm", "sxm4", "sxm5", "hbm2e", "hbm3", "hbm3e", "gpu" };

    // Memory (GB) each catalogued part is sold with; the A100 comes in two.
    private static readonly Dictionary<string, (int GiB, string Id)[]> Families = new(StringComparer.Ordinal)
    {
        ["h100"] = [(80, "h100-sxm")], ["h200"] = [(141, "h200-sxm")], ["b200"] = [(180, "b200"), (192, "b200")],
        ["a100"] = [(80, "a100-80g"), (40, "a100-40g")],
    };

    /// <summary>
    /// The catalogued GPU a spelling not in <see cref="All"/> names, read word by word: one family (h100, h200, b200,
    /// a100), optional words for the vendor, server, SXM form factor or memory technology, and at most one memory size,
    /// which must be one the part is sold with ("HGX H100", "H200 SXM 141GB", "A100-SXM-80GB"). Anything else (PCIe,
    /// NVL, another size, another chip) is null: not a part the catalog models.
    /// </summary>
    public static string? ByWords(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        string? family = null;
        int? memory = null;
        // "40 GB" normalizes to "40-gb": one memory word.
        var words = Regex.Replace(normalized, @"(?<=\d)-(?=gb?(-|$))", "");
        foreach (var word in words.Split('-', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Decoration.Contains(word)) continue;
            if (Families.ContainsKey(word) && family is null) family = word;
            else if (MemoryGb(word) is { } gb && memory is null) memory = gb;
            else return null;
        }
        if (family is null) return null;
        var sizes = Families[family];
        return memory is { } size ? sizes.FirstOrDefault(p => p.GiB == size).Id : sizes[0].Id;
    }

    // "80gb" or "80g" → 80.
    private static int? MemoryGb(string word)
    {
        var digits = word.EndsWith("gb", StringComparison.Ordinal) ? word[..^2] : word.EndsWith('g') ? word[..^1] : null;
        return digits is { Length: > 0 } && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var gb) ? gb : null;
    }

    /// <summary>Lower case, trimmed, runs of spaces and underscores as one dash: "NVIDIA H100 80GB HBM3" → "nvidia-h100-80gb-hbm3".</summary>
    public static string Normalize(string name) =>
        string.Join('-', name.Trim().ToLowerInvariant().Split([' ', '_', '\t'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The aliases of one canonical id, in a stable order.</summary>
    public static IEnumerable<string> Of(string canonicalId) =>
        All.Where(a => a.Value == canonicalId).Select(a => a.Key).Order(StringComparer.Ordinal);
}
