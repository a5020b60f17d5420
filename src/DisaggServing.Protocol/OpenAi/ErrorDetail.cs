namespace DisaggServing.Protocol.OpenAi;

/// <summary>The <c>error</c> object of an OpenAI error response.</summary>
public sealed record ErrorDetail(string Message, string Type, string? Param, string? Code);
