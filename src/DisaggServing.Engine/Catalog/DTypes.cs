using System.Text.RegularExpressions;

namespace DisaggServing.Engine.Catalog;

/// <summary>Parsing and sizes of <see cref="DType"/>.</summary>
public static partial class DTypes
{
    /// <summary>Weights per 16-bit scale of an INT4 W4A16 checkpoint: GPTQ's and AWQ's usual group, Red Hat's w4a16 releases'.</summary>
    public const int Int4GroupSize = 128;

    /// <summary>Bytes per element (INT4 counts its per-128-element 16-bit scale, NVFP4 counts its per-16-element FP8 scale, MXFP4 its per-32-element E8M0 scale).</summary>
    public static double Bytes(this DType dtype) => dtype switch
    {
        DType.Fp8 => 1,
        DType.Fp4 => 0.5 + 1.0 / 16,
        DType.Mxfp4 => 0.5 + 1.0 / 32,
        DType.Int8 => 1,
        DType.Int4 => 0.5 + 2.0 / Int4GroupSize,
        _ => 2,
    };

    /// <summary>True for the formats a KV cache is kept in (FP8, BF16); the others are weight formats only.</summary>
    public static bool IsKvFormat(this DType dtype) => dtype is DType.Fp8 or DType.Bf16;

    /// <summary>
    /// The format of a checkpoint's weights outside the routed experts: the same as the experts' for every format but
    /// MXFP4, whose checkpoints (gpt-oss) keep attention, router and shared layers in BF16.
    /// </summary>
    public static DType NonExpertWeights(this DType weights) => weights == DType.Mxfp4 ? DType.Bf16 : weights;

    /// <summary>The CLI/config spelling: <c>fp8</c>, <c>fp4</c>, <c>mxfp4</c>, <c>int8</c>, <c>int4</c> or <c>bf16</c>.</summary>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Fp8 => "fp8",
        DType.Fp4 => "fp4",
        DType.Mxfp4 => "mxfp4",
        DType.Int8 => "int8",
        DType.Int4 => "int4",
        _ => "bf16",
    };

    /// <summary>
    /// Parses <c>fp8</c>, <c>fp4</c>, <c>mxfp4</c>, <c>int8</c>, <c>int4</c> or <c>bf16</c> (case-insensitive), and the
    /// spellings engines and checkpoints use for them: vLLM's <c>fp8_e4m3</c>/<c>fp8_e5m2</c>, PyTorch's
    /// <c>bfloat16</c>/<c>float8_e4m3fn</c>, llm-compressor's schemes <c>w8a8</c> and <c>w4a16</c>.
    /// FP16 (<c>fp16</c>, <c>float16</c>, <c>half</c>) is costed as BF16: two bytes and the same tensor-core peak on every
    /// catalog GPU.
    /// </summary>
    public static DType Parse(string value, string field = "dtype") => value.Trim().ToLowerInvariant() switch
    {
        "fp8" or "float8" or "e4m3" or "fp8_e4m3" or "fp8_e5m2" or "float8_e4m3fn" => DType.Fp8,
        "fp4" or "nvfp4" => DType.Fp4,
        "mxfp4" => DType.Mxfp4,
        "int8" or "w8a8" => DType.Int8,
        "int4" or "w4a16" => DType.Int4,
        "bf16" or "bfloat16" or "fp16" or "float16" or "half" => DType.Bf16,
        _ => throw new InputException($"{field} '{value}' is not known; use fp8, fp4, mxfp4, int8 (W8A8), int4 (W4A16) or bf16 (fp16 is costed as bf16), or auto for the default."),
    };

    /// <summary>
    /// As <see cref="Parse"/>, but empty or <c>auto</c> (vLLM's and TensorRT-LLM's word for "the default") gives null:
    /// the checkpoint's weight format, or the engine's KV format.
    /// </summary>
    public static DType? ParseOrAuto(string? value, string field = "dtype") =>
        string.IsNullOrWhiteSpace(value) || value.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase) ? null : Parse(value, field);

    /// <summary>
    /// The weight format to cost <paramref name="model"/> in: <paramref name="requested"/>, or when none is given the
    /// format its checkpoint ships in (<see cref="ModelSpec.CheckpointDtype"/>; BF16 for an unquantized one). A quantized
    /// checkpoint cannot run in another format, so a <paramref name="requested"/> that differs from it is an
    /// <see cref="InputException"/> naming both (a BF16 checkpoint takes any format: engines quantize it on load).
    /// <paramref name="field"/> and <paramref name="modelField"/> name the settings in the message (CLI options by
    /// default; a topology pool or the Worker passes its own).
    /// </summary>
    public static DType ForCheckpoint(ModelSpec model, DType? requested, string field = "--dtype", string modelField = "--model")
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.CheckpointDtype is not { } shipped) return requested ?? DType.Bf16;
        if (requested is not { } asked || asked == shipped) return shipped;
        var unquantized = OwnRelease(model, asked) is { } own
            ? $", or {modelField} {own.Id} (its {asked.Name()} release)"
            : Bf16Release(model) is { } bf16Model
                ? $", or {modelField} {bf16Model.Id} (BF16 weights) for {asked.Name()}"
                : SiblingRelease(model, asked) is { } sibling
                    ? $", or {modelField} {sibling.Id} (a release of the same architecture in {asked.Name()})"
                    : "";
        throw new InputException(
            $"{field} {asked.Name()} conflicts with {modelField} {model.Id}, whose weights ship in {shipped.Name()}: leave out {field} (it implies {shipped.Name()}){unquantized}.");
    }

    /// <summary>
    /// As <see cref="ForCheckpoint"/>, for an estimate, which asks "what if": a quantized checkpoint asked in another
    /// format is costed as its release in that format where the catalog has one (an MXFP4 one asked in fp4 as shipped),
    /// else as its BF16 release quantized on load, else as another release of the same architecture in that format,
    /// else as itself in that format (which no engine loads), and the choice comes with a note saying which. Someone
    /// who asks for DeepSeek-R1 in fp4 means NVIDIA's FP4 release; refusing would give them no estimate.
    /// </summary>
    public static WeightChoice ForEstimate(ModelSpec model, DType? requested, string field = "--dtype", string modelField = "--model")
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.CheckpointDtype is not { } shipped || requested is not { } asked || asked == shipped)
            return new WeightChoice(model, ForCheckpoint(model, requested, field, modelField), null);
        var prefix = $"note: {modelField} {model.Id} ships in {shipped.Name()}; {field} {asked.Name()} runs";
        if (OwnRelease(model, asked) is { } own)
            return new WeightChoice(own, asked, $"{prefix} {own.Id}, its {asked.Name()} release.");
        if (asked == DType.Fp4 && shipped == DType.Mxfp4)
            return new WeightChoice(model, shipped, $"{prefix} it as shipped: MXFP4 is a 4-bit float format too (the catalog has no NVFP4 release of it).");
        if (Bf16Release(model) is { } bf16)
            return new WeightChoice(bf16, asked, $"{prefix} {bf16.Id} (its BF16 weights) quantized to {asked.Name()} on load.");
        if (SiblingRelease(model, asked) is { } sibling)
            return new WeightChoice(sibling, asked, $"{prefix} {sibling.Id}, a release of the same architecture in {asked.Name()}.");
        return new WeightChoice(model, asked,
            $"{prefix} it as if its weights were {asked.Name()}: the catalog has no {asked.Name()} or BF16 release of its architecture, so no engine loads it so.");
    }

    // Same-architecture releases that ship in `asked`, catalogued ids first.
    private static IEnumerable<ModelSpec> ReleasesIn(ModelSpec model, DType asked)
    {
        var geometry = model.AliasOf ?? model.Id;
        return ModelCatalog.All.Values.Concat(ModelCatalog.Aliases.Values)
            .Where(m => (m.AliasOf ?? m.Id) == geometry && m.CheckpointDtype == asked)
            .OrderByDescending(m => m.AliasOf is null);
    }

    // This model's own release in `asked`: one whose name, quantization suffix aside, is this one's or extends it
    // (DeepSeek-R1 → DeepSeek-R1-FP4, DeepSeek-V3 → DeepSeek-V3-0324-FP4, Llama-3.3-70B-Instruct-FP8 → …-FP4).
    private static ModelSpec? OwnRelease(ModelSpec model, DType asked)
    {
        var stem = NameStem(model.Id);
        return ReleasesIn(model, asked)
            .Where(m => NameStem(m.Id).StartsWith(stem, StringComparison.OrdinalIgnoreCase) || stem.StartsWith(NameStem(m.Id), StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(m => NameStem(m.Id).Equals(stem, StringComparison.OrdinalIgnoreCase))
            .FirstOrDefault();
    }

    // Another model of the same architecture in `asked` (Kimi-K2-Thinking's INT4 → Kimi-K2-Instruct's FP8).
    private static ModelSpec? SiblingRelease(ModelSpec model, DType asked) => ReleasesIn(model, asked).FirstOrDefault();

    // The geometry's unquantized release, which engines quantize on load.
    private static ModelSpec? Bf16Release(ModelSpec model) =>
        ModelCatalog.All.TryGetValue(model.AliasOf ?? model.Id, out var bf16Model) && bf16Model.CheckpointDtype is null ? bf16Model : null;

    // A checkpoint's name without its owner and quantization suffix: nvidia/Llama-3.3-70B-Instruct-FP8 → Llama-3.3-70B-Instruct.
    private static string NameStem(string id) => QuantizationSuffix().Replace(id[(id.LastIndexOf('/') + 1)..], "");

    [GeneratedRegex(@"[-_.](?:nvfp4|mxfp4|fp8|fp4|int4|int8|awq|gptq|w4a16|w8a8|quantized)(?:[-_.].*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex QuantizationSuffix();
}
