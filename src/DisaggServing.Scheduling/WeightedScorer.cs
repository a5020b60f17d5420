namespace DisaggServing.Scheduling;

/// <summary>A scorer and its weight in a profile.</summary>
public sealed record WeightedScorer(IScorer Scorer, double Weight);
