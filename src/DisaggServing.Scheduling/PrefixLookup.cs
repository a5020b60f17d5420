namespace DisaggServing.Scheduling;

/// <summary>One KV-index answer.</summary>
/// <param name="Matches">Matched leading blocks per engine id.</param>
/// <param name="EventFed">
/// Engines whose KV events the index holds: for them a missing match means "not cached". Empty when the index did not
/// answer; the matched engines count as event-fed either way.
/// </param>
public sealed record PrefixLookup(IReadOnlyDictionary<string, int> Matches, IReadOnlyCollection<string> EventFed);
