using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Calibration;

// vLLM CI's bench throughput rows (builds 9515, 9523, 9555): requests/s of 200 ShareGPT prompts at once.
public class VllmCiFiguresTests
{
    private static List<CalibrationPoint> Rows() =>
        [.. CalibrationSet.Points.Where(p => p.Source.EndsWith("bench throughput)", StringComparison.Ordinal))];

    [Fact]
    public void The_three_builds_throughput_tables_are_in_the_set_as_requests_per_second_fitting_the_sharegpt_spread()
    {
        var rows = Rows();
        Assert.Equal(9, rows.Count);
        Assert.Equal(["9515", "9523", "9555"], rows.Select(p => p.Source.Split(' ')[5].TrimEnd(',')).Distinct().Order());
        Assert.All(rows, p =>
        {
            Assert.Equal(CalibrationMetric.RequestsPerSecond, p.Metric);
            Assert.False(p.HeldOut);
            Assert.Equal(VllmCiFigures.ShareGptTail, p.Caveat);
            // As vLLM 0.6 ran: the V0 engine scheduled each step after the last, 200 ShareGPT prompts queued at once.
            Assert.True(p.Options.Engine.SynchronousScheduling);
            Assert.Equal(WorkloadSpec.ShareGpt, p.Options.Workload);
            Assert.Equal(200, p.Options.Requests);
            Assert.Null(p.Options.Concurrency);
            Assert.Null(p.Options.RequestRate);
        });
        Assert.Contains(rows, p => p.Options.Engine.Model == ModelCatalog.Mixtral8x7B && p.Options.Engine.TensorParallel == 2);
    }

    [Fact]
    public void The_fitted_sharegpt_spread_takes_the_llama_runs_within_fifteen_percent_where_a_spread_of_one_ran_them_all_slow()
    {
        // 200 prompts at once last as long as their longest outputs: the spread of the lengths sets req/s. The six
        // Llama rows (same tokenizer, same draw) fix it; Mixtral's H200 row, published slower than its H100 one, is left out.
        var llama = Rows().Where(p => p.Options.Engine.Model != ModelCatalog.Mixtral8x7B).ToList();
        Assert.Equal(6, llama.Count);
        Assert.All(llama, p => Assert.InRange(p.Predicted(Estimator.Run(p.Options)) / p.Published - 1, -0.15, 0.15));
        Assert.Equal(0.8, ShareGptRunLengths.Sigma);
    }

    [Fact]
    public void The_mixtral_latency_rows_run_as_the_llama_latency_rows_of_the_same_builds()
    {
        var mixtral = CalibrationSet.Points.Where(p => p.Source.EndsWith("bench latency)", StringComparison.Ordinal) && p.Options.Engine.Model == ModelCatalog.Mixtral8x7B).ToList();
        Assert.Equal(3, mixtral.Count);
        Assert.All(mixtral, p =>
        {
            var llama = CalibrationSet.Points.Single(q => q.Source == p.Source && q.Options.Engine.Model == ModelCatalog.Llama31_8B && q.Metric == p.Metric);
            // At TP2, vLLM 0.6's all-reduces unfused (ServingFigures.VllmV0Engine).
            Assert.Equal(llama.Options with { Engine = llama.Options.Engine with { Model = ModelCatalog.Mixtral8x7B, TensorParallel = 2, AllReduceFusion = false } }, p.Options);
            Assert.Equal(llama.Caveat, p.Caveat);
            Assert.True(p.HeldOut);
        });
    }

    [Fact]
    public void A_requests_per_second_figure_is_compared_with_the_estimates_completed_requests_over_its_run()
    {
        var options = new EstimateOptions
        {
            Engine = ServingFigures.VllmV0Engine(ModelCatalog.Llama31_8B, GpuCatalog.H100Sxm, 1), InputTokens = 200, OutputTokens = 100,
            Requests = 64, Admission = EngineProfiles.Vllm.Admission,
        };
        var result = Estimator.Run(options);
        var point = new CalibrationPoint("test", "test", CalibrationMetric.RequestsPerSecond, 10, options);
        Assert.NotNull(result.RequestsPerSecond);
        Assert.Equal(result.RequestsPerSecond!.Value, point.Predicted(result));
        Assert.True(point.Predicted(result) > 0);
        Assert.NotEqual(point.Predicted(result), new CalibrationPoint("test", "test", CalibrationMetric.OutputTokensPerSecond, 10, options).Predicted(result));
    }
}
