using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// A fitted profile on disk: the GPU and engine it was measured on and the <see cref="PerformanceConstants"/> the
/// fit found. <c>disagg calibrate --fit</c> writes it; <c>estimate</c>, <c>simulate</c> (<c>--profile FILE</c>)
/// and the local Workers (<c>Topology:Local:Profile</c>) read it. Durations are in the units their names say.
/// </summary>
public sealed record ProfileFile
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>GPU id the constants belong to.</summary>
    [JsonPropertyName("gpu")] public required string Gpu { get; init; }

    /// <summary>Engine the constants belong to (vllm, sglang, trtllm).</summary>
    [JsonPropertyName("engine")] public required string Engine { get; init; }

    /// <summary>Fraction of the dense tensor peak that GEMMs sustain.</summary>
    [JsonPropertyName("gemm_efficiency")] public double GemmEfficiency { get; init; }

    /// <summary>Fraction of the BF16 peak that attention sustains.</summary>
    [JsonPropertyName("attention_efficiency")] public double AttentionEfficiency { get; init; }

    /// <summary>Fraction of HBM bandwidth sustained.</summary>
    [JsonPropertyName("hbm_efficiency")] public double HbmEfficiency { get; init; }

    /// <summary>Per-layer kernel floor, µs.</summary>
    [JsonPropertyName("layer_floor_us")] public double LayerFloorUs { get; init; }

    /// <summary>Host cost per step, ms.</summary>
    [JsonPropertyName("step_overhead_ms")] public double StepOverheadMs { get; init; }

    /// <summary>Host cost per scheduled sequence, µs.</summary>
    [JsonPropertyName("per_sequence_us")] public double PerSequenceUs { get; init; }

    /// <summary>Server cost on each first token, ms.</summary>
    [JsonPropertyName("first_token_ms")] public double FirstTokenMs { get; init; }

    /// <summary>Where the constants came from (the measurements fitted).</summary>
    [JsonPropertyName("source")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Source { get; init; }

    /// <summary>The constants, validated; <paramref name="path"/> names the file in errors.</summary>
    public PerformanceConstants ToConstants(string path) => new PerformanceConstants(GemmEfficiency, AttentionEfficiency, HbmEfficiency,
        LayerFloorUs * 1e-6, StepOverheadMs * 1e-3, PerSequenceUs * 1e-6, FirstTokenMs * 1e-3).Validate(path);

    /// <summary>The file for <paramref name="constants"/> of <paramref name="engine"/> on <paramref name="gpu"/>.</summary>
    public static ProfileFile From(GpuSpec gpu, ServingEngine engine, PerformanceConstants constants, string? source = null) => new()
    {
        Gpu = gpu.Id, Engine = EngineProfiles.Name(engine), Source = source,
        GemmEfficiency = Round(constants.GemmEfficiency), AttentionEfficiency = Round(constants.AttentionEfficiency),
        HbmEfficiency = Round(constants.HbmEfficiency), LayerFloorUs = Round(constants.LayerFloorSeconds * 1e6),
        StepOverheadMs = Round(constants.StepSeconds * 1e3), PerSequenceUs = Round(constants.PerSequenceSeconds * 1e6),
        FirstTokenMs = Round(constants.FirstTokenSeconds * 1e3),
    };

    /// <summary>The file as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads <paramref name="path"/>; an <see cref="InputException"/> names the file and what is wrong.</summary>
    public static ProfileFile Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"Profile file '{path}' cannot be read ({e.GetType().Name}); give the path of a file written by 'disagg calibrate --fit'.");
        }
        ProfileFile? file;
        try { file = JsonSerializer.Deserialize<ProfileFile>(text, Json); }
        catch (JsonException e)
        {
            throw new InputException($"Profile file '{path}' is not valid JSON ({e.Message}); regenerate it with 'disagg calibrate --fit'.");
        }
        if (file is null || string.IsNullOrWhiteSpace(file.Gpu) || string.IsNullOrWhiteSpace(file.Engine))
            throw new InputException($"Profile file '{path}' needs \"gpu\" and \"engine\"; regenerate it with 'disagg calibrate --fit'.");
        GpuCatalog.Get(file.Gpu, $"{path}: gpu");
        EngineProfiles.Parse(file.Engine, $"{path}: engine");
        file.ToConstants(path);
        return file;
    }

    /// <summary>
    /// Applies the profile at <paramref name="path"/> to <paramref name="spec"/>: its constants, after checking that
    /// it was fitted on the spec's GPU and engine.
    /// </summary>
    public static EngineSpec Apply(EngineSpec spec, string path)
    {
        var file = Load(path);
        var engine = EngineProfiles.Parse(file.Engine, $"{path}: engine");
        // The file may name its GPU by an alias (h100, an nvidia-smi name); compare the GPU it resolves to.
        if (GpuCatalog.Get(file.Gpu, $"{path}: gpu").Id != spec.Gpu.Id || engine != spec.Engine.Engine)
            throw new InputException($"Profile file '{path}' was fitted on {file.Gpu} with {file.Engine}, but the engine is {spec.Gpu.Id} with {spec.Engine.Name}; pass --gpu {file.Gpu} --engine {file.Engine}, or fit a profile for this GPU and engine.");
        return spec with { Constants = file.ToConstants(path) };
    }

    private static double Round(double value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Gpu}/{Engine}");
}
