using DisaggServing.Engine.Performance;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Tests.Support;

namespace DisaggServing.Worker.Tests;

/// <summary>A worker configured to speculate (Worker:SpeculativeMethod …) runs the same scheduler and step model as the simulator.</summary>
public sealed class SpeculativeWorkerTests
{
    [Fact]
    public void Speculation_settings_reach_the_scheduler_and_the_step_model()
    {
        var settings = WorkerSettings.Resolve(new WorkerOptions
        {
            Model = "zai-org/GLM-4.5-Air", Tp = 4, SpeculativeMethod = "mtp", NumSpeculativeTokens = 3, AcceptanceLength = 2.5,
        });
        Assert.Equal(new SpeculativeDecoding(SpeculativeMethod.Mtp, 3, 2.5), settings.Spec.Speculative);
        Assert.Equal((3, 2.5), (settings.Scheduler.SpeculativeTokens, settings.Scheduler.AcceptanceLength));
        Assert.Null(WorkerSettings.Resolve(new WorkerOptions()).Spec.Speculative);
    }

    [Fact]
    public void An_sglang_worker_that_speculates_runs_48_requests_unless_told()
    {
        WorkerOptions Sglang(int? maxNumSeqs, string? method = "mtp") => new()
        {
            Engine = "sglang", Model = "zai-org/GLM-4.5-Air", Tp = 4, SpeculativeMethod = method, NumSpeculativeTokens = 3, AcceptanceLength = 2.5,
            MaxNumSeqs = maxNumSeqs,
        };
        Assert.Equal(48, WorkerSettings.Resolve(Sglang(null)).Scheduler.MaxNumSeqs);
        Assert.Equal(96, WorkerSettings.Resolve(Sglang(96)).Scheduler.MaxNumSeqs);
        Assert.Equal(EngineProfiles.Sglang.MaxNumSeqs, WorkerSettings.Resolve(Sglang(null, method: null)).Scheduler.MaxNumSeqs);
    }

    [Theory]
    [InlineData("medusa", 2, 1.5, "use mtp, eagle, eagle3 or ngram")]
    [InlineData("mtp", 2, 1.5, "Worker:SpeculativeMethod mtp needs a checkpoint with multi-token-prediction layers")]
    [InlineData("eagle", 2, 3.5, "Worker:AcceptanceLength must be between 1 and Worker:NumSpeculativeTokens + 1 = 3")]
    public void Speculation_that_cannot_run_is_a_configuration_error_naming_the_setting(string method, int tokens, double acceptance, string expected)
    {
        var error = Assert.Throws<WorkerConfigurationException>(() => WorkerSettings.Resolve(new WorkerOptions
        {
            SpeculativeMethod = method, NumSpeculativeTokens = tokens, AcceptanceLength = acceptance,
        }));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_speculating_worker_streams_and_counts_every_token_once()
    {
        await using var worker = await WorkerHost.StartAsync("Model=meta-llama/Llama-3.1-8B-Instruct", "Tp=1", "SpeculativeMethod=eagle3",
            "NumSpeculativeTokens=3", "AcceptanceLength=3.5", "InstantEngine=true");
        var before = await worker.MetricsAsync();
        var prompt = Prompts.Unique("speculative");

        // 2, 3 or 4 tokens a step after the first (3.5 on average): each listed once per token by the scheduler.
        var (status, _, chunks, done) = await SseClient.StreamAsync(worker.Http, "/v1/completions",
            Json.Of(new { prompt, max_tokens = 41, stream = true }));
        var whole = await worker.PostAsync("/v1/completions", Json.Of(new { prompt, max_tokens = 41 }));

        Assert.Equal((200, true, 200), (status, done, whole.Status));
        Assert.Equal(41, whole.Body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(whole.Body.GetProperty("choices")[0].GetProperty("text").GetString(), SseClient.Text(chunks));
        await worker.WaitDrainedAsync();
        var after = await worker.MetricsAsync();
        Assert.Equal(2 * 41, Support.Metrics.Value(after, "vllm:generation_tokens_total") - Support.Metrics.Value(before, "vllm:generation_tokens_total"));
    }
}
