using DisaggServing.Worker.Hosting;
using DisaggServing.Worker.Runtime;
using DisaggServing.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DisaggServing.Worker.Tests;

/// <summary>
/// The engine loop's admission cutoff, on a fake engine clock that moves only when the test moves it: an engine
/// that schedules ahead (vLLM from 0.14, async scheduling) built the step after a running one when that one
/// began, so a prompt arriving mid-step joins the step after next; a synchronous one (vLLM 0.11) takes it in the
/// next step.
/// </summary>
public sealed class ScheduledAheadWorkerTests
{
    // Fake engine time moves by this much between looks: far less than any step of these engines (milliseconds),
    // so the loop completes at most one step between two looks.
    private static readonly TimeSpan Tick = TimeSpan.FromMicroseconds(200);

    [Fact]
    public async Task An_engine_that_schedules_ahead_admits_a_prompt_arriving_mid_step_in_the_step_after_next()
    {
        var tokensOfTheFirstWhenTheSecondStarts = await TokensOfTheFirstWhenTheSecondStartsAsync();

        // Step 1 prefilled the first request (token 1); step 2, built as step 1 began, decoded it alone (token 2).
        Assert.Equal(2, tokensOfTheFirstWhenTheSecondStarts);
    }

    [Fact]
    public async Task A_synchronous_engine_admits_a_prompt_arriving_mid_step_in_the_next_step()
    {
        var tokensOfTheFirstWhenTheSecondStarts = await TokensOfTheFirstWhenTheSecondStartsAsync("EngineVersion=0.11.0");

        Assert.Equal(1, tokensOfTheFirstWhenTheSecondStarts);
    }

    /// <summary>
    /// Runs a 4,096-token prompt, sends a short one 1 ms into its prefill step, and returns how many tokens the
    /// first had when the second was first scheduled.
    /// </summary>
    private static async Task<int> TokensOfTheFirstWhenTheSecondStartsAsync(params string[] settings)
    {
        var clock = new FakeTimeProvider();
        await using var worker = await WorkerHost.StartAsync(settings, services => services.AddKeyedSingleton<TimeProvider>(WorkerApp.EngineClock, clock));
        var engine = worker.Services.GetRequiredService<EngineHost>();

        var first = engine.Submit(new GenerationJob(null, Tokens(4096), MaxOutputTokens: 8));
        await UntilAsync(() => first.Request.FirstScheduledTime is not null, "the first request's prefill step");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var second = engine.Submit(new GenerationJob(null, Tokens(64), MaxOutputTokens: 4));
        Assert.Equal(0, first.Request.NumOutputTokens); // its prefill step is still running

        var deadline = DateTime.UtcNow + WorkerHost.WaitTimeout;
        while (second.Request.FirstScheduledTime is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the second request was never scheduled");
            clock.Advance(Tick);
            await Task.Delay(1);
        }
        var tokens = first.Request.NumOutputTokens;

        // Let both finish so the worker stops clean.
        while (!first.IsDone || !second.IsDone)
        {
            Assert.True(DateTime.UtcNow < deadline, "the requests never finished");
            clock.Advance(TimeSpan.FromMilliseconds(5));
            await Task.Delay(1);
        }
        return tokens;
    }

    private static int[] Tokens(int count) => [.. Enumerable.Range(1000, count)];

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + WorkerHost.WaitTimeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(1);
        }
    }
}
