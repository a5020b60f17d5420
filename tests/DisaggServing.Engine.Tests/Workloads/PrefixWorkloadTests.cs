using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Workloads;

public class PrefixWorkloadTests
{
    [Fact]
    public void The_prefix_form_parses_and_prints_back()
    {
        var spec = WorkloadSpec.Parse("prefix:10:2048:256:128");
        Assert.Equal(WorkloadKind.Prefix, spec.Kind);
        Assert.Equal(new PrefixRepetition(10, 2048, 256, 128), spec.Prefix);
        Assert.Equal((2304, 128), (spec.InputTokens, spec.OutputTokens));
        Assert.Equal("prefix:10:2048:256:128", spec.ToString());
        Assert.Equal(0, WorkloadSpec.Parse("prefix:1:64:0:8").Prefix!.SuffixTokens);
    }

    [Theory]
    [InlineData("prefix:10:2048:256", "four numbers")]
    [InlineData("prefix:0:2048:256:128", "NUM_PREFIXES")]
    [InlineData("prefix:10:0:256:128", "PREFIX_LEN")]
    [InlineData("prefix:10:2048:x:128", "SUFFIX_LEN")]
    [InlineData("prefix:10:2048:256:0", "OSL")]
    public void Bad_prefix_forms_name_the_part(string text, string part) =>
        Assert.Contains(part, Assert.Throws<InputException>(() => WorkloadSpec.Parse(text)).Message);

    [Fact]
    public void Requests_spread_evenly_over_the_prefixes_in_shuffled_order_at_the_usual_arrivals()
    {
        var requests = WorkloadSpec.Parse("prefix:4:1024:64:32").Generate(102, 5, seed: 3);
        Assert.All(requests, r => Assert.Equal((1088, 32, 1024), (r.InputTokens, r.OutputTokens, r.SharedPrefixTokens)));
        var perPrefix = requests.GroupBy(r => r.SharedPrefix).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([1, 2, 3, 4], perPrefix.Keys.Order());
        Assert.All(perPrefix.Values, n => Assert.InRange(n, 25, 26));
        Assert.NotEqual([1, 2, 3, 4], requests.Take(4).Select(r => r.SharedPrefix));
        var fixedArrivals = WorkloadSpec.Fixed(1088, 32).Generate(102, 5, seed: 3).Select(r => r.ArrivalSeconds);
        Assert.Equal(fixedArrivals, requests.Select(r => r.ArrivalSeconds));
    }

    [Fact]
    public void Prompts_of_one_prefix_share_the_hashes_of_its_full_blocks_and_no_others()
    {
        var a = new WorkloadRequest(0, 100, 1, SharedPrefix: 1, SharedPrefixTokens: 40);
        var ha = PromptBlockHashes.Of(a, 0, 16);
        var hb = PromptBlockHashes.Of(a, 1, 16);
        var other = PromptBlockHashes.Of(a with { SharedPrefix = 2 }, 2, 16);

        Assert.Equal(6, ha.Length);                       // 100 / 16 full blocks
        Assert.Equal(ha[..2], hb[..2]);                   // blocks 0–1 lie inside the 40-token prefix
        Assert.NotEqual(ha[2], hb[2]);                    // block 2 reaches into each request's own suffix
        Assert.Empty(ha.Intersect(other));
        Assert.Equal(ha, PromptBlockHashes.Of(a, 0, 16)); // deterministic
        Assert.Empty(PromptBlockHashes.Of(new WorkloadRequest(0, 100, 1), 0, 16));
    }
}
