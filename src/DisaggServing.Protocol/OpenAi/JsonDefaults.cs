using System.Text.Json;
using System.Text.Json.Serialization;

namespace DisaggServing.Protocol.OpenAi;

/// <summary>The JSON settings every DisaggServing HTTP surface uses: snake_case names as OpenAI and vLLM, nulls omitted.</summary>
public static class JsonDefaults
{
    /// <summary>Options for OpenAI/vLLM bodies.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.Strict,
    };
}
