using DisaggServing.Engine.Scheduling;
using DisaggServing.Protocol.Kv;

namespace DisaggServing.Engine.Tests.Scheduling;

/// <summary>Builds prompts, hashes and requests for scheduler tests.</summary>
public static class TestRequests
{
    /// <summary>A prompt of <paramref name="length"/> tokens derived from <paramref name="seed"/>.</summary>
    public static int[] Prompt(int length, int seed) =>
        Enumerable.Range(0, length).Select(i => seed * 100_000 + i).ToArray();

    public static EngineRequest Make(
        string id,
        int promptTokens,
        int maxOutputTokens,
        int seed = 0,
        bool hashed = true,
        EngineRequestKind kind = EngineRequestKind.Normal,
        int blockSize = 16) =>
        new(id, promptTokens, maxOutputTokens, TimeSpan.Zero,
            hashed ? KvBlockHasher.HashPrompt(Prompt(promptTokens, seed), blockSize) : null, kind);

    public static EngineRequest FromTokens(string id, int[] tokens, int maxOutputTokens, int blockSize,
        EngineRequestKind kind = EngineRequestKind.Normal) =>
        new(id, tokens.Length, maxOutputTokens, TimeSpan.Zero, KvBlockHasher.HashPrompt(tokens, blockSize), kind);

    public static SchedulerConfig Config(int blocks = 64) => new() { NumGpuBlocks = blocks };

    /// <summary>Runs one step of 10 ms: schedule at <paramref name="now"/>, complete 10 ms later.</summary>
    public static (ScheduledBatch Batch, StepResult Result) Step(this Scheduler scheduler, ref TimeSpan now)
    {
        var batch = scheduler.Schedule(now);
        now += TimeSpan.FromMilliseconds(10);
        return (batch, scheduler.CompleteStep(now));
    }

    /// <summary>Steps until nothing is left to run; returns the number of steps.</summary>
    public static int RunToIdle(this Scheduler scheduler, ref TimeSpan now, int maxSteps = 10_000)
    {
        var steps = 0;
        while (scheduler.HasUnfinishedRequests)
        {
            Assert.True(++steps <= maxSteps, "scheduler did not go idle");
            scheduler.Step(ref now);
        }
        return steps;
    }
}
