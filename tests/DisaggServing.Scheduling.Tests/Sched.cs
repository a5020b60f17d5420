namespace DisaggServing.Scheduling.Tests;

/// <summary>Scheduling test helpers.</summary>
internal static class Sched
{
    public static TestCandidate Endpoint(int port, string? id = null) => new($"127.0.0.1:{port}", id);

    public static SchedulingContext Context(int promptTokens, int blockSize = 16) =>
        new("r", Prompt.FromTokens(Enumerable.Range(0, promptTokens).ToArray()), blockSize);

    public static double[] Score(IScorer scorer, SchedulingContext context, IReadOnlyList<ISchedulingCandidate> endpoints)
    {
        var scores = new double[endpoints.Count];
        scorer.Score(context, endpoints, scores);
        return scores;
    }
}
