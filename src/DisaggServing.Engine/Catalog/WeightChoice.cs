namespace DisaggServing.Engine.Catalog;

/// <summary>The model and weight format an estimate costs (<see cref="DTypes.ForEstimate"/>); <paramref name="Note"/> says what was substituted, if anything.</summary>
public sealed record WeightChoice(ModelSpec Model, DType Dtype, string? Note);
