using System.Text.Json;
using DisaggServing.Protocol.Kv;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Tokenization;

namespace DisaggServing.Protocol.Tests;

public class TokenizationTests
{
    [Fact]
    public void Tokenizer_round_trips_and_counts()
    {
        var ids = PromptTokenizer.Instance.Encode("Hello, disaggregated world!");
        Assert.Equal(ids.Count, PromptTokenizer.Instance.Count("Hello, disaggregated world!"));
        Assert.Equal("Hello, disaggregated world!", PromptTokenizer.Instance.Decode(ids));
    }

    [Fact]
    public void Chat_template_renders_roles_and_an_open_assistant_turn()
    {
        var messages = JsonSerializer.Deserialize<List<ChatMessage>>(
            """[{"role":"system","content":"be brief"},{"role":"user","content":[{"type":"text","text":"hi"}]}]""", JsonDefaults.Options)!;
        var prompt = ChatTemplate.Render(messages);
        Assert.Contains("system<|end_header_id|>\n\nbe brief<|eot_id|>", prompt);
        Assert.Contains("user<|end_header_id|>\n\nhi<|eot_id|>", prompt);
        Assert.EndsWith("assistant<|end_header_id|>\n\n", prompt);
    }

    [Fact]
    public void Block_hashes_chain_so_equal_hashes_mean_equal_prefixes()
    {
        var a = Enumerable.Range(0, 64).ToArray();
        var b = a.ToArray();
        b[40] = -1; // third block differs
        var ha = PromptTokenizer.BlockHashes(a);
        var hb = PromptTokenizer.BlockHashes(b);
        Assert.Equal(4, ha.Length);
        Assert.Equal(ha[..2], hb[..2]);
        Assert.NotEqual(ha[2], hb[2]);
        Assert.NotEqual(ha[3], hb[3]); // chained: everything after a difference differs
        Assert.Equal(3, KvBlockHasher.HashPrompt(a.AsSpan(0, 63)).Length); // partial block not hashed
    }
}
