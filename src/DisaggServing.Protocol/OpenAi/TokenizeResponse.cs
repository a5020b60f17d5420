namespace DisaggServing.Protocol.OpenAi;

/// <summary>vLLM <c>/tokenize</c> response.</summary>
public sealed record TokenizeResponse(int Count, int MaxModelLen, IReadOnlyList<int> Tokens);
