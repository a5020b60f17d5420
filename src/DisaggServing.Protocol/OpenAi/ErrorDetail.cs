using System.Text.Json.Serialization;

namespace DisaggServing.Protocol.OpenAi;

/// <summary>The <c>error</c> object of an OpenAI error response; <c>param</c> and <c>code</c> are written even when null, as OpenAI does.</summary>
public sealed record ErrorDetail(
    string Message,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Code);
