using System.Diagnostics.Metrics;
using System.Reflection;
using DisaggServing.Protocol;
using DisaggServing.Worker.Tests.Support;

namespace DisaggServing.Worker.Tests;

public sealed class MetricsEndpointTests(InstantWorkerFixture fixture) : IClassFixture<InstantWorkerFixture>
{
    public static TheoryData<string> VllmNames => [.. typeof(MetricNames).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    [Theory]
    [MemberData(nameof(VllmNames))]
    public async Task Metrics_expose_every_shared_metric_name(string name)
    {
        var text = await fixture.Worker.MetricsAsync();

        Assert.Contains($"# TYPE {name} ", text);
    }

    [Fact]
    public async Task Metrics_are_Prometheus_text_with_model_and_engine_labels()
    {
        await fixture.Worker.PostAsync("/v1/completions", Json.Of(new { prompt = "count me", max_tokens = 3 }));
        using var response = await fixture.Worker.Http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"vllm:num_requests_running{{model_name=\"{fixture.Worker.Settings.ModelId}\",engine=\"instant-0\"}} 0", text);
        Assert.True(Support.Metrics.Value(text, MetricNames.GenerationTokens) >= 3);
        Assert.True(Support.Metrics.Value(text, MetricNames.PromptTokens) > 0);
        Assert.True(Support.Metrics.Value(text, MetricNames.TimeToFirstToken + "_count") >= 1);
        Assert.True(Support.Metrics.Value(text, MetricNames.RequestSuccess, "finished_reason=\"length\"") >= 1);
        Assert.True(Support.Metrics.Value(text, MetricNames.PrefixCacheQueries) > 0);
        Assert.Contains(MetricNames.TimeToFirstToken + "_bucket{", text);
        Assert.Contains("le=\"+Inf\"", text);
    }

    [Fact]
    public async Task The_same_figures_go_out_as_OpenTelemetry_instruments()
    {
        var ttft = new List<double>();
        var tokens = 0.0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "DisaggServing.Worker")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (!tags.ToArray().Contains(new KeyValuePair<string, object?>("engine", "instant-0")))
                return;
            lock (ttft)
            {
                if (instrument.Name == "disagg.worker.time_to_first_token")
                    ttft.Add(value);
                else if (instrument.Name == "disagg.worker.generation_tokens")
                    tokens += value;
            }
        });
        listener.Start();

        await fixture.Worker.PostAsync("/v1/completions", Json.Of(new { prompt = "measure me", max_tokens = 4 }));

        lock (ttft)
        {
            Assert.NotEmpty(ttft);
            Assert.True(tokens >= 4);
        }
    }

    [Fact]
    public async Task A_repeated_prompt_hits_the_prefix_cache()
    {
        var prompt = Prompts.Unique("prefix") + " " + Prompts.Medium + " " + Prompts.Medium;
        var before = await fixture.Worker.MetricsAsync();
        await fixture.Worker.PostAsync("/v1/completions", Json.Of(new { prompt, max_tokens = 2 }));
        await fixture.Worker.PostAsync("/v1/completions", Json.Of(new { prompt, max_tokens = 2 }));
        var after = await fixture.Worker.MetricsAsync();

        Assert.True(Support.Metrics.Value(after, MetricNames.PrefixCacheHits) - Support.Metrics.Value(before, MetricNames.PrefixCacheHits) >= 16);
    }
}
