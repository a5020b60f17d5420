using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Workloads;

public class RangeRatioTests
{
    [Theory]
    // vllm bench serve: ⌊L·(1 − R)⌋ … ⌈L·(1 + R)⌉; R = 0 keeps the lengths fixed.
    [InlineData(BenchmarkClient.Vllm, 1024, 128, 0.8, 204, 1844, 25, 231)]
    [InlineData(BenchmarkClient.Vllm, 1000, 100, 0.0, 1000, 1000, 100, 100)]
    // SGLang's bench_serving: ⌊L·R⌋ … L, never below 1; R = 0 draws from 1, R = 1 keeps them fixed.
    [InlineData(BenchmarkClient.Sglang, 1024, 1024, 0.8, 819, 1024, 819, 1024)]
    [InlineData(BenchmarkClient.Sglang, 1024, 128, 0.0, 1, 1024, 1, 128)]
    [InlineData(BenchmarkClient.Sglang, 8192, 1024, 1.0, 8192, 8192, 1024, 1024)]
    public void A_range_ratio_draws_from_the_ranges_its_benchmark_client_draws_from(
        BenchmarkClient client, int input, int output, double ratio, int inputMin, int inputMax, int outputMin, int outputMax)
    {
        var ranges = UniformLengths.FromRangeRatio(input, output, ratio, client);
        Assert.Equal((inputMin, inputMax, outputMin, outputMax), (ranges.InputMin, ranges.InputMax, ranges.OutputMin, ranges.OutputMax));
    }

    [Theory]
    [InlineData(BenchmarkClient.Vllm, 1.0, "0 ≤ R < 1")]
    [InlineData(BenchmarkClient.Vllm, -0.1, "0 ≤ R < 1")]
    [InlineData(BenchmarkClient.Sglang, 1.5, "0 ≤ R ≤ 1")]
    public void A_ratio_outside_the_clients_range_is_refused_naming_the_range(BenchmarkClient client, double ratio, string range)
    {
        var error = Assert.Throws<InputException>(() => UniformLengths.FromRangeRatio(100, 100, ratio, client));
        Assert.Contains("--random-range-ratio", error.Message);
        Assert.Contains(range, error.Message);
    }
}
