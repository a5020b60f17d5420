using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Workloads;

public class TraceReaderTests
{
    private static WorkloadRequest[] Read(string text) => TraceReader.Read(new StringReader(text), "t.jsonl");

    private static string ErrorOf(string text) => Assert.Throws<InputException>(() => Read(text)).Message;

    [Fact]
    public void Reads_requests_and_skips_blank_lines_and_extra_fields()
    {
        var requests = Read("""
            {"arrival_s": 0, "input_tokens": 512, "output_tokens": 128}

            {"arrival_s": 0.25, "input_tokens": 10, "output_tokens": 1, "id": "req-7", "prompt": "hi"}
               
            {"output_tokens": 3, "input_tokens": 2, "arrival_s": 1e1}
            """);
        Assert.Equal(
            [new WorkloadRequest(0, 512, 128), new WorkloadRequest(0.25, 10, 1), new WorkloadRequest(10, 2, 3)],
            requests);
    }

    [Fact]
    public void Out_of_order_arrivals_are_sorted_stably()
    {
        var requests = Read("""
            {"arrival_s": 2, "input_tokens": 1, "output_tokens": 1}
            {"arrival_s": 1, "input_tokens": 2, "output_tokens": 1}
            {"arrival_s": 2, "input_tokens": 3, "output_tokens": 1}
            {"arrival_s": 1, "input_tokens": 4, "output_tokens": 1}
            """);
        Assert.Equal([2, 4, 1, 3], requests.Select(r => r.InputTokens));
    }

    [Fact]
    public void Malformed_json_names_the_file_and_line_without_a_stack_trace()
    {
        var message = ErrorOf("""
            {"arrival_s": 0, "input_tokens": 1, "output_tokens": 1}

            {"arrival_s": 0, "input_tokens": 1,
            """);
        Assert.StartsWith("t.jsonl, line 3: not valid JSON", message);
        Assert.DoesNotContain("   at ", message);
        Assert.DoesNotContain("Exception", message);
    }

    [Theory]
    [InlineData("""{"input_tokens": 1, "output_tokens": 1}""", "missing field 'arrival_s'")]
    [InlineData("""{"arrival_s": 0, "output_tokens": 1}""", "missing field 'input_tokens'")]
    [InlineData("""{"arrival_s": 0, "input_tokens": 1}""", "missing field 'output_tokens'")]
    [InlineData("""{"arrival_s": "soon", "input_tokens": 1, "output_tokens": 1}""", "field 'arrival_s' must be a number of seconds, got the string \"soon\"")]
    [InlineData("""{"arrival_s": -1, "input_tokens": 1, "output_tokens": 1}""", "field 'arrival_s' must be 0 or more")]
    [InlineData("""{"arrival_s": 0, "input_tokens": 0, "output_tokens": 1}""", "field 'input_tokens' must be at least 1 token, got 0")]
    [InlineData("""{"arrival_s": 0, "input_tokens": 5, "output_tokens": -3}""", "field 'output_tokens' must be at least 1 token, got -3")]
    [InlineData("""{"arrival_s": 0, "input_tokens": 12.5, "output_tokens": 1}""", "field 'input_tokens' must be a whole number of tokens, got 12.5")]
    [InlineData("""{"arrival_s": 0, "input_tokens": "12", "output_tokens": 1}""", "field 'input_tokens' must be a whole number of tokens, got the string \"12\"")]
    [InlineData("""{"arrival_s": 0, "input_tokens": 1, "output_tokens": 99999999999}""", "field 'output_tokens' is out of range")]
    [InlineData("""{"arrival_s": 0, "input_tokens": null, "output_tokens": 1}""", "field 'input_tokens' must be a whole number of tokens, got null")]
    [InlineData("""[1, 2, 3]""", "expected a JSON object, found an array")]
    public void Bad_fields_are_named_with_the_line(string line, string expected)
    {
        var message = ErrorOf("{\"arrival_s\": 0, \"input_tokens\": 1, \"output_tokens\": 1}\n" + line);
        Assert.StartsWith("t.jsonl, line 2: ", message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void Empty_trace_is_an_error()
    {
        Assert.Contains("no requests", ErrorOf("\n  \n"));
    }

    [Fact]
    public void Reads_a_file_and_reports_a_missing_one()
    {
        var dir = Directory.CreateTempSubdirectory("trace-test");
        try
        {
            var path = Path.Combine(dir.FullName, "trace.jsonl");
            File.WriteAllText(path, "{\"arrival_s\": 1.5, \"input_tokens\": 7, \"output_tokens\": 9}\n");
            Assert.Equal([new WorkloadRequest(1.5, 7, 9)], TraceReader.ReadFile(path));

            var missing = Path.Combine(dir.FullName, "nope.jsonl");
            var error = Assert.Throws<InputException>(() => TraceReader.ReadFile(missing));
            Assert.Contains("cannot read trace file", error.Message);
            Assert.Contains("nope.jsonl", error.Message);

            File.WriteAllText(path, "{\"arrival_s\": 1.5, \"input_tokens\": 7}\n");
            var bad = Assert.Throws<InputException>(() => TraceReader.ReadFile(path));
            Assert.StartsWith($"{path}, line 1: missing field 'output_tokens'", bad.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
