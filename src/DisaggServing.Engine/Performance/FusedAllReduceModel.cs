namespace DisaggServing.Engine.Performance;

/// <summary>
/// A model whose TP all-reduces an engine fuses with the residual add and RMSNorm after them whatever its other settings
/// (<see cref="EngineProfile.AllReduceFusionModels"/>), from the release that began to.
/// </summary>
/// <param name="Id">Catalog id of the base model (an alias counts as the model it aliases).</param>
/// <param name="From">The first release that fused it; null where every modelled release did.</param>
public sealed record FusedAllReduceModel(string Id, EngineRelease? From = null)
{
    /// <summary>Whether <paramref name="release"/> fuses it; a run without a release is the engine as it runs today, which does.</summary>
    public bool FusedIn(EngineRelease? release) => From is not { } from || release is not { } r || r.CompareTo(from) >= 0;
}
