using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Estimation;

/// <summary>The mean end-to-end latency, which GuideLLM reports for its one-request-at-a-time ("synchronous") runs.</summary>
public class E2eMeanTests
{
    private static readonly EngineSpec Small = new() { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 1, WeightDtype = DType.Bf16 };

    private static EstimateResult Run(bool uniform) => Estimator.Run(new EstimateOptions
    {
        Engine = Small, Concurrency = 1, Requests = 40, InputTokens = uniform ? 0 : 1000, OutputTokens = uniform ? 0 : 200,
        Workload = uniform ? WorkloadSpec.Uniform(1, 1999, 1, 399) : null,
    });

    [Fact]
    public void One_request_at_a_time_of_fixed_lengths_has_the_same_mean_and_median_end_to_end_latency()
    {
        var result = Run(uniform: false);
        Assert.Equal(result.E2eMs!.Value, result.E2eMeanMs!.Value, 1e-6 * result.E2eMs.Value);
        // Alone on the engine a request's latency is its first token and the steps after it.
        Assert.Equal(result.TtftMeanMs!.Value + (result.Osl - 1) * result.TpotMs!.Value, result.E2eMeanMs.Value, 0.01 * result.E2eMeanMs.Value);
    }

    [Fact]
    public void Drawn_lengths_give_a_mean_end_to_end_latency_that_follows_the_mean_output_length()
    {
        var fixedLengths = Run(uniform: false);
        var uniform = Run(uniform: true);
        Assert.NotEqual(uniform.E2eMs, uniform.E2eMeanMs);
        Assert.Equal(fixedLengths.E2eMeanMs!.Value * uniform.OslMean!.Value / 200, uniform.E2eMeanMs!.Value, 0.15 * fixedLengths.E2eMeanMs.Value);
    }

    [Fact]
    public void The_e2e_mean_metric_reads_the_mean_and_is_a_latency()
    {
        var result = Run(uniform: false);
        Assert.Equal(result.E2eMeanMs, result.Of(CalibrationMetric.E2eMeanMs));
        Assert.False(CalibrationMetric.E2eMeanMs.IsThroughput());
    }
}
