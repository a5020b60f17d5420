using DisaggServing.Protocol.Tokenization;
using DisaggServing.Worker.Text;

namespace DisaggServing.Worker.Tests;

public sealed class PseudoTextTests
{
    [Fact]
    public void Text_is_a_function_of_prompt_seed_and_position()
    {
        var prompt = PromptTokenizer.Instance.Encode("the same prompt");
        var seed = PseudoText.PromptHash(prompt, null);

        Assert.Equal(PseudoText.Text(seed, 0, 40), PseudoText.Text(PseudoText.PromptHash(prompt, null), 0, 40));
        Assert.NotEqual(PseudoText.Text(seed, 0, 40), PseudoText.Text(PseudoText.PromptHash(prompt, 7), 0, 40));
        Assert.NotEqual(PseudoText.Text(seed, 0, 40), PseudoText.Text(PseudoText.PromptHash(PromptTokenizer.Instance.Encode("another"), null), 0, 40));
    }

    [Fact]
    public void Pieces_concatenate_to_the_whole_and_count_one_token_each()
    {
        var seed = PseudoText.PromptHash(PromptTokenizer.Instance.Encode("pieces"), null);
        var whole = PseudoText.Text(seed, 0, 50);
        var pieces = string.Concat(Enumerable.Range(0, 50).Select(i => PseudoText.Text(seed, i, i + 1)));

        Assert.Equal(whole, pieces);
        Assert.Equal(50, PromptTokenizer.Instance.Count(whole));
    }

    [Fact]
    public void Natural_length_is_bounded()
    {
        for (ulong h = 0; h < 1000; h++)
            Assert.InRange(PseudoText.NaturalLength(h * 0x9E3779B97F4A7C15UL), 32, 256);
    }
}
