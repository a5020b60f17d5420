using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Workloads;

public class WorkloadSpecTests
{
    [Theory]
    [InlineData("fixed:1024:128", "fixed:1024:128")]
    [InlineData("  FIXED:8:1 ", "fixed:8:1")]
    [InlineData("sharegpt", "sharegpt")]
    [InlineData("ShareGPT", "sharegpt")]
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
    [InlineData("sharegpt:big", "sharegpt takes no parameters")]
    [InlineData("trace:", "needs a file path")]
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
