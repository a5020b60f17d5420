namespace DisaggServing.Engine.Workloads;

/// <summary>Draws the input and output lengths of one request.</summary>
public interface ILengthSampler
{
    /// <summary>Draws one request's lengths from <paramref name="random"/>; both are at least 1.</summary>
    (int InputTokens, int OutputTokens) Sample(Random random);
}
