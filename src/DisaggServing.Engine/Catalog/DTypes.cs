namespace DisaggServing.Engine.Catalog;

/// <summary>Parsing and sizes of <see cref="DType"/>.</summary>
public static class DTypes
{
    /// <summary>Bytes per element.</summary>
    public static int Bytes(this DType dtype) => dtype == DType.Fp8 ? 1 : 2;

    /// <summary>The CLI/config spelling: <c>fp8</c> or <c>bf16</c>.</summary>
    public static string Name(this DType dtype) => dtype == DType.Fp8 ? "fp8" : "bf16";

    /// <summary>Parses <c>fp8</c> or <c>bf16</c> (case-insensitive).</summary>
    public static DType Parse(string value, string field = "dtype") => value.Trim().ToLowerInvariant() switch
    {
        "fp8" or "float8" or "e4m3" => DType.Fp8,
        "bf16" or "bfloat16" => DType.Bf16,
        _ => throw new InputException($"{field} '{value}' is not known; use fp8 or bf16."),
    };
}
