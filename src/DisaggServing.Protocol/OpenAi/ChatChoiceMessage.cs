namespace DisaggServing.Protocol.OpenAi;

/// <summary>The message of a chat choice, or the delta of a chat chunk.</summary>
public sealed record ChatChoiceMessage(string? Role, string? Content);
