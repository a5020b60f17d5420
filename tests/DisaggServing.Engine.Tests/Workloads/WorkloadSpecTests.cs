using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Workloads;

public class WorkloadSpecTests
{
    [Theory]
    [InlineData("fixed:1024:128", "fixed:1024:128")]
    [InlineData("  FIXED:8:1 ", "fixed:8:1")]
    [InlineData("sharegpt", "sharegpt")]
    [InlineData("ShareGPT", "sharegpt")]
    [InlineData("sharegpt:229.46:216.91", "sharegpt:229.46:216.91")]
    [InlineData(" ShareGPT: 297.156 : 192.432 :SGLang", "sharegpt:297.156:192.432:sglang")]
    [InlineData("sharegpt:300:200:vllm", "sharegpt:300:200")]
    [InlineData("uniform:1-1000:1-1000", "uniform:1-1000:1-1000")]
    [InlineData(" Uniform: 1 - 8000 :128", "uniform:1-8000:128")]
    [InlineData("uniform:500-500:1-7", "uniform:500:1-7")]
    [InlineData("trace:runs/a.jsonl", "trace:runs/a.jsonl")]
    [InlineData(@"trace:C:\traces\a.jsonl", @"trace:C:\traces\a.jsonl")]
    public void Parses_the_accepted_forms(string text, string canonical)
    {
        var spec = WorkloadSpec.Parse(text);
        Assert.Equal(canonical, spec.ToString());
        Assert.Equal(spec, WorkloadSpec.Parse(spec.ToString()));
    }

    [Fact]
    public void Exposes_the_parsed_parts()
    {
        var spec = WorkloadSpec.Parse("fixed:1024:128");
        Assert.Equal((WorkloadKind.Fixed, 1024, 128), (spec.Kind, spec.InputTokens, spec.OutputTokens));
        Assert.Equal(WorkloadKind.ShareGpt, WorkloadSpec.Parse("sharegpt").Kind);
        Assert.Equal("x.jsonl", WorkloadSpec.Parse("trace:x.jsonl").TracePath);
    }

    [Theory]
    [InlineData("fixed:1024:128", 1152)]
    [InlineData("uniform:1-7961:1-1062", 9023)]
    [InlineData("prefix:10:2048:256:128", 2432)]
    [InlineData("sharegpt", null)]
    [InlineData("trace:x.jsonl", null)]
    public void Bounds_the_longest_request_where_its_lengths_do(string text, int? longest) =>
        Assert.Equal(longest, WorkloadSpec.Parse(text).LongestRequestTokens);

    [Theory]
    [InlineData(null, "workload is empty")]
    [InlineData("  ", "workload is empty")]
    [InlineData("poisson:3", "unknown kind 'poisson'")]
    [InlineData("fixed", "fixed needs an input and an output length")]
    [InlineData("fixed:1024", "fixed needs an input and an output length")]
    [InlineData("fixed:1:2:3", "fixed needs an input and an output length")]
    [InlineData("fixed:abc:128", "input length (ISL) 'abc' is not a whole number")]
    [InlineData("fixed:1024:0", "output length (OSL) '0' is not a whole number of tokens of at least 1")]
    [InlineData("fixed:-5:10", "input length (ISL) '-5'")]
    [InlineData("fixed:1e3:10", "input length (ISL) '1e3'")]
    [InlineData("sharegpt:big", "sharegpt takes a mean prompt and a mean output length")]
    [InlineData("sharegpt:1:2:3:4", "sharegpt takes a mean prompt and a mean output length")]
    [InlineData("sharegpt:abc:200", "MEAN_IN (mean prompt length) 'abc' is not a positive number")]
    [InlineData("sharegpt:200:-5", "MEAN_OUT (mean output length) '-5' is not a positive number")]
    [InlineData("sharegpt:2000:100", "MEAN_IN (mean prompt length) must lie strictly between 4 and 1024")]
    [InlineData("sharegpt:3:100", "MEAN_IN (mean prompt length) must lie strictly between 4 and 1024")]
    [InlineData("sharegpt:1000:1100", "MEAN_IN + MEAN_OUT must stay below the 2048-token")]
    [InlineData("sharegpt:1000:1040", "cannot be reached")]
    [InlineData("sharegpt:200:100:trtllm", "CLIENT 'trtllm' is not vllm or sglang")]
    [InlineData("trace:", "needs a file path")]
    [InlineData("uniform", "uniform needs an input and an output range")]
    [InlineData("uniform:1-1000", "uniform needs an input and an output range")]
    [InlineData("uniform:0-1000:1-10", "input length (ISL) range '0-1000' is not MIN-MAX in whole tokens of at least 1")]
    [InlineData("uniform:1-1000:1-x", "output length (OSL) range '1-x'")]
    [InlineData("uniform:-5-10:1", "input length (ISL) range '-5-10'")]
    [InlineData("uniform:1-2-3:1", "input length (ISL) range '1-2-3'")]
    [InlineData("uniform:900-100:1", "input length (ISL) range '900-100' is empty")]
    [InlineData("uniform:1-100:", "output length (OSL) range ''")]
    public void Bad_specs_name_the_bad_part(string? text, string expected)
    {
        var error = Assert.Throws<InputException>(() => WorkloadSpec.Parse(text));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Unknown_kind_lists_the_accepted_forms()
    {
        var error = Assert.Throws<InputException>(() => WorkloadSpec.Parse("random"));
        Assert.Contains(WorkloadSpec.AcceptedForms, error.Message);
    }

    [Fact]
    public void Generates_synthetic_workloads()
    {
        var offline = WorkloadSpec.Parse("fixed:100:10").Generate(5);
        Assert.All(offline, r => Assert.Equal(new WorkloadRequest(0, 100, 10), r));

        var online = WorkloadSpec.ShareGpt.Generate(50, ratePerSecond: 2, seed: 9);
        Assert.Equal(50, online.Length);
        Assert.True(online[^1].ArrivalSeconds > 0);
        Assert.Equal(online, WorkloadSpec.ShareGpt.Generate(50, ratePerSecond: 2, seed: 9));

        Assert.Throws<InputException>(() => WorkloadSpec.ShareGpt.Generate(-1));
        Assert.Throws<InputException>(() => WorkloadSpec.ShareGpt.Generate(5, ratePerSecond: 0));
    }

    [Fact]
    public void Uniform_draws_every_length_of_both_ranges_and_only_those_with_the_ranges_mean()
    {
        var spec = WorkloadSpec.Parse("uniform:1-9:20-21");
        Assert.Equal((WorkloadKind.Uniform, 1, 9, 20, 21), (spec.Kind, spec.Ranges!.InputMin, spec.Ranges.InputMax, spec.Ranges.OutputMin, spec.Ranges.OutputMax));
        var requests = spec.Generate(9000, seed: 3);
        Assert.Equal(Enumerable.Range(1, 9), requests.Select(r => r.InputTokens).Distinct().Order());
        Assert.Equal([20, 21], requests.Select(r => r.OutputTokens).Distinct().Order());
        Assert.Equal(spec.Ranges.MeanInputTokens, requests.Average(r => r.InputTokens), 0.1);
        Assert.Equal(spec.Ranges.MeanOutputTokens, requests.Average(r => r.OutputTokens), 0.05);
        Assert.All(requests, r => Assert.Equal(0, r.ArrivalSeconds));
    }

    [Fact]
    public void Uniform_lengths_follow_the_seed()
    {
        var spec = WorkloadSpec.Uniform(1, 1000, 1, 1000);
        Assert.Equal(spec.Generate(50, seed: 7), spec.Generate(50, seed: 7));
        Assert.NotEqual(spec.Generate(50, seed: 7), spec.Generate(50, seed: 8));
        // Lengths have their own random stream: a rate changes the arrivals, not the lengths.
        Assert.Equal(spec.Generate(50, seed: 7).Select(r => r.InputTokens), spec.Generate(50, ratePerSecond: 3, seed: 7).Select(r => r.InputTokens));
    }

    [Fact]
    public void Generates_from_a_trace_and_refuses_a_rate()
    {
        var dir = Directory.CreateTempSubdirectory("spec-test");
        try
        {
            var path = Path.Combine(dir.FullName, "t.jsonl");
            File.WriteAllLines(path, Enumerable.Range(0, 4).Select(i => $$"""{"arrival_s": {{i}}, "input_tokens": {{i + 1}}, "output_tokens": 2}"""));
            var spec = WorkloadSpec.Parse("trace:" + path);

            Assert.Equal(4, spec.Generate(int.MaxValue).Length);
            Assert.Equal([1, 2], spec.Generate(2).Select(r => r.InputTokens));
            var error = Assert.Throws<InputException>(() => spec.Generate(10, ratePerSecond: 5));
            Assert.Contains("leave out the request rate", error.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
