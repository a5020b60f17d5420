using DisaggServing.Engine.Calibration;

namespace DisaggServing.Engine.Tests.Calibration;

public class PrometheusScrapeTests
{
    [Fact]
    public void A_vllm_page_parses_into_its_samples_with_labels_values_and_types()
    {
        var page = new VllmScrapeText { Requests = 10, TtftSeconds = 2.5, ItlSeconds = 9.9, E2eSeconds = 20, Engines = 2 }.Render();

        var scrape = PrometheusScrape.Parse(page, "after.prom");

        Assert.Equal("histogram", scrape.Types["vllm:time_to_first_token_seconds"]);
        Assert.Equal("counter", scrape.Types["vllm:generation_tokens_total"]);
        var sums = scrape.Samples.Where(s => s.Name == "vllm:time_to_first_token_seconds_sum").ToList();
        Assert.Equal(["0", "1"], sums.Select(s => s.Label("engine")!));
        Assert.Equal(2.5, sums.Sum(s => s.Value), 9);
        var inf = scrape.Samples.Single(s => s.Name == "vllm:e2e_request_latency_seconds_bucket" && s.Label("le") == "+Inf" && s.Label("engine") == "1");
        Assert.Equal(5, inf.Value);
        Assert.Equal("auto", scrape.Samples.Single(s => s.Name == "vllm:cache_config_info").Label("cache_dtype"));
    }

    [Fact]
    public void Escapes_infinities_and_timestamps_are_read_as_the_format_defines_them()
    {
        var scrape = PrometheusScrape.Parse("""
            # a free comment
            m{path="C:\\models\\x",quote="say \"hi\"",nl="a\nb"} +Inf 1700000000123
            n -Inf
            o NaN
            p 1.5e3
            """, "page");

        var m = scrape.Samples[0];
        Assert.Equal((@"C:\models\x", "say \"hi\"", "a\nb"), (m.Label("path"), m.Label("quote"), m.Label("nl")));
        Assert.Equal((double.PositiveInfinity, 1700000000123L), (m.Value, m.TimestampMs!.Value));
        Assert.Equal(double.NegativeInfinity, scrape.Samples[1].Value);
        Assert.True(double.IsNaN(scrape.Samples[2].Value));
        Assert.Equal(1500, scrape.Samples[3].Value);
    }

    [Theory]
    [InlineData("vllm:x{a=\"1\"}\n", "page:1", "needs a value")]
    [InlineData("ok 1\nvllm:x{a=1} 2\n", "page:2", "name=\"value\"")]
    [InlineData("vllm:x{a=\"1} 2\n", "page:1", "no closing quote")]
    [InlineData("vllm:x 1\nvllm:x 2\n", "page:2", "appears twice")]
    [InlineData("# TYPE vllm:x countr\nvllm:x 1\n", "page:1", "counter, gauge, histogram")]
    [InlineData("vllm:x abc\n", "page:1", "not a number")]
    [InlineData("vllm:x 1 12.5\n", "page:1", "whole milliseconds")]
    [InlineData("<html><body>502 Bad Gateway</body></html>\n", "page:1", "not a sample")]
    [InlineData("# only a comment\n", "page", "no samples")]
    public void A_malformed_page_is_refused_naming_the_file_the_line_and_the_fix(string text, string where, string message)
    {
        var e = Assert.Throws<InputException>(() => PrometheusScrape.Parse(text, "page"));

        Assert.StartsWith(where + ":", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
