namespace DisaggServing.Engine.Performance;

/// <summary>Duration of one engine iteration for a batch.</summary>
public interface IStepTimeModel
{
    /// <summary>Seconds one iteration over <paramref name="batch"/> takes (0 for an empty batch).</summary>
    double StepSeconds(in BatchShape batch);
}
