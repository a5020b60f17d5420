using System.Text.Json.Serialization;

namespace DisaggServing.Protocol.OpenAi;

/// <summary>
/// The <c>error</c> object of an OpenAI error response; <c>param</c> and <c>code</c> are written even when null, as
/// OpenAI does. <see cref="Code"/> is the HTTP status (an integer) on the errors vLLM itself would give, or a string
/// naming a failure vLLM has no counterpart for (an unreachable engine, a body over the router's limit).
/// </summary>
public sealed record ErrorDetail(
    string Message,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] object? Code);
