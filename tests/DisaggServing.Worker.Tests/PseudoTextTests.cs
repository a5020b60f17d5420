using DisaggServing.Protocol.Tokenization;
using DisaggServing.Worker.Text;

namespace DisaggServing.Worker.Tests;

/// <summary>The simulated model and its sampler: deterministic, and every sampling parameter changes what it should.</summary>
public sealed class PseudoTextTests
{
    private static IReadOnlyList<int> Prompt(string text) => PromptTokenizer.Instance.Encode(text);

    private static int[] Draw(string prompt, SamplingSettings settings, int count = 60)
    {
        var sampler = new TokenSampler(Prompt(prompt), settings);
        return [.. Enumerable.Range(0, count).Select(_ => sampler.Next())];
    }

    private static string Text(IEnumerable<int> tokens) => string.Concat(tokens.Select(PseudoText.TokenText));

    [Fact]
    public void Tokens_are_a_function_of_prompt_and_settings()
    {
        var defaults = new SamplingSettings();
        Assert.Equal(Draw("the same prompt", defaults), Draw("the same prompt", defaults));
        Assert.NotEqual(Draw("the same prompt", defaults), Draw("another prompt", defaults));
        Assert.NotEqual(Draw("the same prompt", defaults), Draw("the same prompt", defaults with { Seed = 7 }));
    }

    [Fact]
    public void Greedy_sampling_ignores_the_seed_and_so_do_filters_that_keep_one_token()
    {
        var greedy = Draw("greedy", new SamplingSettings { Temperature = 0 });
        Assert.Equal(greedy, Draw("greedy", new SamplingSettings { Temperature = 0, Seed = 99 }));
        Assert.Equal(greedy, Draw("greedy", new SamplingSettings { TopK = 1, Seed = 5 }));
        Assert.Equal(greedy, Draw("greedy", new SamplingSettings { MinP = 1, Seed = 6 }));
        Assert.Equal(greedy, Draw("greedy", new SamplingSettings { TopP = 1e-9, Seed = 8 }));
        Assert.NotEqual(greedy, Draw("greedy", new SamplingSettings()));
    }

    [Fact]
    public void Lower_temperature_and_narrower_filters_agree_more_with_greedy()
    {
        var greedy = Draw("focus", new SamplingSettings { Temperature = 0 }, 400);
        int Agreement(SamplingSettings s) => Draw("focus", s, 400).Zip(greedy).Count(p => p.First == p.Second);

        Assert.True(Agreement(new SamplingSettings { Temperature = 0.2 }) > Agreement(new SamplingSettings { Temperature = 1.5 }));
        Assert.True(Agreement(new SamplingSettings { TopK = 3 }) > Agreement(new SamplingSettings()));
        Assert.True(Agreement(new SamplingSettings { TopP = 0.2 }) > Agreement(new SamplingSettings()));
        Assert.True(Agreement(new SamplingSettings { MinP = 0.5 }) > Agreement(new SamplingSettings()));
    }

    [Fact]
    public void Penalties_make_repeats_rarer()
    {
        static int Repeats(int[] tokens) => tokens.Length - tokens.Distinct().Count();
        var plain = Repeats(Draw("repeat", new SamplingSettings { Temperature = 0 }, 200));

        Assert.True(Repeats(Draw("repeat", new SamplingSettings { Temperature = 0, FrequencyPenalty = 2 }, 200)) < plain);
        Assert.True(Repeats(Draw("repeat", new SamplingSettings { Temperature = 0, PresencePenalty = 2 }, 200)) < plain);
        Assert.True(Repeats(Draw("repeat", new SamplingSettings { Temperature = 0, RepetitionPenalty = 2 }, 200)) < plain);
        Assert.True(Repeats(Draw("repeat", new SamplingSettings { Temperature = 0, FrequencyPenalty = -2 }, 200)) > plain);
    }

    [Fact]
    public void Token_texts_concatenate_to_text_that_counts_one_token_each()
    {
        var tokens = Draw("pieces", new SamplingSettings(), 50);
        var whole = Text(tokens);

        Assert.Equal(whole, PromptTokenizer.Instance.Decode(tokens));
        Assert.Equal(50, PromptTokenizer.Instance.Count(whole));
    }

    [Fact]
    public void Natural_length_is_bounded()
    {
        for (ulong h = 0; h < 1000; h++)
            Assert.InRange(PseudoText.NaturalLength(h * 0x9E3779B97F4A7C15UL), 32, 256);
    }
}
