namespace DisaggServing.Engine.Catalog;

/// <summary>Parsing and sizes of <see cref="DType"/>.</summary>
public static class DTypes
{
    /// <summary>Bytes per element (NVFP4 counts its per-16-element FP8 scale).</summary>
    public static double Bytes(this DType dtype) => dtype switch
    {
        DType.Fp8 => 1,
        DType.Fp4 => 0.5 + 1.0 / 16,
        _ => 2,
    };

    /// <summary>The CLI/config spelling: <c>fp8</c>, <c>fp4</c> or <c>bf16</c>.</summary>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Fp8 => "fp8",
        DType.Fp4 => "fp4",
        _ => "bf16",
    };

    /// <summary>Parses <c>fp8</c>, <c>fp4</c> or <c>bf16</c> (case-insensitive).</summary>
    public static DType Parse(string value, string field = "dtype") => value.Trim().ToLowerInvariant() switch
    {
        "fp8" or "float8" or "e4m3" => DType.Fp8,
        "fp4" or "nvfp4" => DType.Fp4,
        "bf16" or "bfloat16" => DType.Bf16,
        _ => throw new InputException($"{field} '{value}' is not known; use fp8, fp4 or bf16."),
    };
}
