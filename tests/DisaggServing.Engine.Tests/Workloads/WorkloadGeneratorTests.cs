using CsCheck;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Workloads;

public class WorkloadGeneratorTests
{
    [Fact]
    public void Same_seed_gives_the_same_requests()
    {
        var a = WorkloadGenerator.Generate(new ShareGptLengths(), new PoissonArrivals(3), 500, seed: 42);
        var b = WorkloadGenerator.Generate(new ShareGptLengths(), new PoissonArrivals(3), 500, seed: 42);
        var c = WorkloadGenerator.Generate(new ShareGptLengths(), new PoissonArrivals(3), 500, seed: 43);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Any_seed_is_reproducible_and_arrivals_never_go_backwards()
    {
        Gen.Select(Gen.Int, Gen.Double[0.1, 100], Gen.Int[0, 200]).Sample((seed, rate, count) =>
        {
            var a = WorkloadGenerator.Generate(new ShareGptLengths(), new PoissonArrivals(rate), count, seed);
            var b = WorkloadGenerator.Generate(new ShareGptLengths(), new PoissonArrivals(rate), count, seed);
            Assert.Equal(a, b);
            Assert.Equal(count, a.Length);
            for (var i = 1; i < a.Length; i++)
            {
                Assert.True(a[i].ArrivalSeconds >= a[i - 1].ArrivalSeconds);
            }

            Assert.All(a, r => Assert.InRange(r.InputTokens, ShareGptLengths.MinTokens, ShareGptLengths.MaxTokens));
            Assert.All(a, r => Assert.InRange(r.OutputTokens, ShareGptLengths.MinTokens, ShareGptLengths.MaxTokens));
        }, iter: 50);
    }

    [Fact]
    public void Lengths_do_not_depend_on_the_arrival_process_and_arrivals_scale_with_rate()
    {
        var offline = WorkloadGenerator.Generate(new ShareGptLengths(), OfflineArrivals.Instance, 100, seed: 7);
        var slow = WorkloadGenerator.Generate(new ShareGptLengths(), new PoissonArrivals(1), 100, seed: 7);
        var fast = WorkloadGenerator.Generate(new ShareGptLengths(), new PoissonArrivals(4), 100, seed: 7);

        Assert.All(offline, r => Assert.Equal(0, r.ArrivalSeconds));
        Assert.Equal(offline.Select(r => (r.InputTokens, r.OutputTokens)), slow.Select(r => (r.InputTokens, r.OutputTokens)));
        for (var i = 0; i < slow.Length; i++)
        {
            Assert.Equal(slow[i].ArrivalSeconds / 4, fast[i].ArrivalSeconds, 9);
        }
    }

    [Fact]
    public void Fixed_lengths_are_fixed()
    {
        var requests = WorkloadGenerator.Generate(new FixedLengths(1024, 128), OfflineArrivals.Instance, 10, seed: 1);
        Assert.All(requests, r => Assert.Equal(new WorkloadRequest(0, 1024, 128), r));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(-1, 10)]
    public void Fixed_lengths_must_be_positive(int input, int output)
    {
        var error = Assert.Throws<InputException>(() => new FixedLengths(input, output));
        Assert.Contains(input < 1 ? "ISL" : "OSL", error.Message);
    }

    [Fact]
    public void Poisson_rate_is_right_over_many_samples()
    {
        const double rate = 5.0;
        const int count = 50_000;
        var requests = WorkloadGenerator.Generate(new FixedLengths(1, 1), new PoissonArrivals(rate), count, seed: 3);

        var gaps = requests.Select((r, i) => i == 0 ? r.ArrivalSeconds : r.ArrivalSeconds - requests[i - 1].ArrivalSeconds).ToArray();
        var mean = gaps.Average();
        var sd = Math.Sqrt(gaps.Select(g => (g - mean) * (g - mean)).Average());

        Assert.InRange(count / requests[^1].ArrivalSeconds, rate * 0.98, rate * 1.02);

        // Exponential gaps: standard deviation equals the mean.
        Assert.InRange(sd / mean, 0.97, 1.03);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-2.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Poisson_rate_must_be_positive(double rate)
    {
        var error = Assert.Throws<InputException>(() => new PoissonArrivals(rate));
        Assert.Contains("rate", error.Message);
    }

    [Fact]
    public void Negative_count_is_an_input_error()
    {
        Assert.Throws<InputException>(() => WorkloadGenerator.Generate(new FixedLengths(1, 1), OfflineArrivals.Instance, -1, 0));
    }

    [Fact]
    public void ShareGpt_means_match_the_published_ones()
    {
        var requests = WorkloadGenerator.Generate(new ShareGptLengths(), OfflineArrivals.Instance, 100_000, seed: 11);
        var meanInput = requests.Average(r => r.InputTokens);
        var meanOutput = requests.Average(r => r.OutputTokens);

        Assert.InRange(meanInput, ShareGptLengths.MeanInputTokens * 0.98, ShareGptLengths.MeanInputTokens * 1.02);
        Assert.InRange(meanOutput, ShareGptLengths.MeanOutputTokens * 0.98, ShareGptLengths.MeanOutputTokens * 1.02);

        // A heavy right tail: the median sits well below the mean, as in the dataset.
        var medianInput = requests.Select(r => r.InputTokens).Order().ElementAt(requests.Length / 2);
        Assert.True(medianInput < meanInput * 0.8);
    }

    [Theory]
    [InlineData(161.31, 1.0, 4, 2048)]
    [InlineData(337.99, 1.0, 4, 2048)]
    [InlineData(1500, 2.0, 4, 2048)]
    [InlineData(10, 0.5, 1, 100)]
    public void Lognormal_location_is_solved_so_the_clamped_mean_is_the_requested_mean(double mean, double sigma, int min, int max)
    {
        var distribution = new LognormalLengthDistribution(mean, sigma, min, max);
        Assert.Equal(mean, LognormalLengthDistribution.ClampedMean(distribution.Mu, sigma, min, max), 3);

        var random = new Random(5);
        var sampled = Enumerable.Range(0, 100_000).Average(_ => distribution.Sample(random));
        Assert.InRange(sampled, mean * 0.97, mean * 1.03);
    }

    [Fact]
    public void Lognormal_parameters_are_validated()
    {
        Assert.Throws<InputException>(() => new LognormalLengthDistribution(100, 1, 0, 10));
        Assert.Throws<InputException>(() => new LognormalLengthDistribution(100, 1, 10, 10));
        Assert.Throws<InputException>(() => new LognormalLengthDistribution(5, 1, 10, 100));
        Assert.Throws<InputException>(() => new LognormalLengthDistribution(50, 0, 10, 100));
    }
}
