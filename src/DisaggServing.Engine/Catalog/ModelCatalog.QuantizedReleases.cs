namespace DisaggServing.Engine.Catalog;

/// <summary>Quantized re-releases the catalog does not list, read from the naming conventions of their quantizers.</summary>
public static partial class ModelCatalog
{
    // Quantizers name a re-release after the model it quantizes plus a suffix for the format, and keep its config.json
    // shapes: llm-compressor's (Red Hat AI, formerly Neural Magic) -FP8-dynamic, -FP8, -quantized.w8a8 (INT8 W8A8) and
    // -quantized.w4a16 (INT4, groups of 128); NVIDIA ModelOpt's -FP8, -FP4 and -NVFP4; AutoAWQ/AutoGPTQ's -AWQ, -AWQ-INT4
    // and -GPTQ-Int4 (the model makers' own Qwen2.5 and Qwen3 AWQ/GPTQ releases among them). Longest first, so
    // -FP8-dynamic is not read as -FP8. Weight-only INT8 (-quantized.w8a16, -GPTQ-Int8) and bitsandbytes/GGUF releases
    // are left out: their kernels are not the ones the INT8 and INT4 formats cost (DType.Int8 is W8A8).
    private static readonly (string Suffix, DType Weights)[] QuantizerSuffixes =
    [
        ("-quantized.w4a16", DType.Int4), ("-quantized.w8a8", DType.Int8), ("-FP8-dynamic", DType.Fp8),
        ("-GPTQ-Int4", DType.Int4), ("-AWQ-INT4", DType.Int4), ("-NVFP4", DType.Fp4), ("-FP4", DType.Fp4),
        ("-FP8", DType.Fp8), ("-AWQ", DType.Int4),
    ];

    /// <summary>The quantizer suffixes a re-release may carry, each with the weight format it implies.</summary>
    public static IReadOnlyList<(string Suffix, DType Weights)> QuantizedReleaseSuffixes => QuantizerSuffixes;

    // ORG/NAME-SUFFIX (or NAME-SUFFIX) where NAME is the name of one catalogued geometry's own release, with or without
    // its organisation: that geometry in the suffix's format, under the id given, as an alias listing it would give
    // (ModelAlias: the per-token scales of -FP8-dynamic and w8a8, ModelOpt's FP8 KV, Qwen's block-scaled FP8). Null when
    // the id has no such suffix, or no released name or more than one geometry matches it.
    private static ModelSpec? FromQuantizedRelease(string id)
    {
        var slash = id.IndexOf('/');
        var name = id[(slash + 1)..];
        foreach (var (suffix, weights) in QuantizerSuffixes)
        {
            if (!name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) || name.Length == suffix.Length) continue;
            var baseName = name[..^suffix.Length];
            var releases = ById.Values
                .Where(m => m.Id[(m.Id.IndexOf('/') + 1)..].Equals(baseName, StringComparison.OrdinalIgnoreCase) && IsMakersRelease(m))
                .ToList();
            var geometries = releases.Select(m => m.AliasOf ?? m.Id).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (geometries.Count != 1) return null;
            // Where two releases share the name (a base id and its alias under another org), the publisher's own context;
            // a vision-language release keeps its vision tower (an alias of a text stack with one, VisionLanguage).
            var release = releases.OrderByDescending(m => Org(m.Id).Equals(Org(m.AliasOf ?? m.Id), StringComparison.OrdinalIgnoreCase)).First();
            return new ModelAlias(id, Canonical[geometries[0]] with { Vision = release.Vision }, weights, release.MaxContext).Resolve();
        }
        return null;
    }

    // The model maker's release of a geometry: the catalogued one, or an alias in the catalogued format (a base, instruct
    // or later release), not another quantization of it.
    private static bool IsMakersRelease(ModelSpec m) =>
        m.AliasOf is null || m.CheckpointDtype == Canonical[m.AliasOf].CheckpointDtype;
}
