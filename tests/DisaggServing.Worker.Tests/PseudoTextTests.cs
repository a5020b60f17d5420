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
        // The model is autoregressive: compare each next token on the greedy path (teacher forcing), not whole paths.
        var greedy = Draw("focus", new SamplingSettings { Temperature = 0 }, 400);
        var prompt = Prompt("focus");
        int Agreement(SamplingSettings s) => Enumerable.Range(0, greedy.Length)
            .Count(i => new TokenSampler([.. prompt, .. greedy[..i]], s).Next() == greedy[i]);

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
    public void A_prompt_that_ends_with_part_of_an_answer_continues_it_exactly()
    {
        foreach (var settings in new[] { new SamplingSettings(), new SamplingSettings { Temperature = 0 }, new SamplingSettings { Seed = 11, TopK = 5, RepetitionPenalty = 1.3 } })
        {
            var whole = new TokenSampler(Prompt("migrate me"), settings);
            var tokens = Enumerable.Range(0, 40).Select(_ => whole.Next()).ToArray();
            var naturalLength = new TokenSampler(Prompt("migrate me"), settings).NaturalLength;
            foreach (var cut in new[] { 1, 2, 17, 39 })
            {
                var continued = new TokenSampler([.. Prompt("migrate me"), .. tokens[..cut]], settings);
                Assert.Equal(cut, continued.Position);
                Assert.Equal(tokens[cut..], Enumerable.Range(0, 40 - cut).Select(_ => continued.Next()).ToArray());
                Assert.Equal(Math.Max(1, naturalLength - cut), new TokenSampler([.. Prompt("migrate me"), .. tokens[..cut]], settings).NaturalLength);
            }
        }
    }

    [Fact]
    public void A_fresh_prompt_has_no_answer_so_far_even_when_it_ends_with_a_word_of_the_vocabulary()
    {
        Assert.Equal(0, PseudoText.AnswerLength(Prompt("Tell me about the")));
        Assert.Equal(0, PseudoText.AnswerLength(Prompt("Explain it.")));
        Assert.Equal(0, new TokenSampler(Prompt("Tell me about the"), new SamplingSettings()).Position);
    }

    [Fact]
    public void Natural_length_is_bounded()
    {
        for (ulong h = 0; h < 1000; h++)
            Assert.InRange(PseudoText.NaturalLength(h * 0x9E3779B97F4A7C15UL), 32, 256);
    }
}
