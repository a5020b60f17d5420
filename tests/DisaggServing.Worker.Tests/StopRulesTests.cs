using DisaggServing.Protocol.Tokenization;
using DisaggServing.Worker.Text;

namespace DisaggServing.Worker.Tests;

/// <summary>
/// vLLM V1's stop rules on fixed token sequences (real tokens of the shared tokenizer): where the text ends, what is
/// counted, the finish and stop reasons, and what a stream may show before the end.
/// </summary>
public sealed class StopRulesTests
{
    // vLLM's own min_tokens test sentence (tests/detokenizer/test_min_tokens.py).
    private static readonly IReadOnlyList<int> Sentence = PromptTokenizer.Instance.Encode(" is Lee, and I'm a student in the college of engineering");

    private static CompletionText Run(StopConditions stops, int? budget = null, int? naturalEnd = null)
    {
        var i = 0;
        return CompletionText.Generate(() => Sentence[i++], budget ?? Sentence.Count, naturalEnd, stops);
    }

    private static StopConditions Stops(params string[] stop) => new(stop, new HashSet<int>());

    private static int Token(string text) => Assert.Single(PromptTokenizer.Instance.Encode(text));

    /// <summary>Tokens up to and including the one that completes the first <paramref name="upTo"/> characters.</summary>
    private static int TokensThrough(int upTo)
    {
        var length = 0;
        for (var n = 1; ; n++)
        {
            length += PseudoText.TokenText(Sentence[n - 1]).Length;
            if (length >= upTo) return n;
        }
    }

    private const string Full = " is Lee, and I'm a student in the college of engineering";

    [Fact]
    public void Without_stops_the_budget_ends_it()
    {
        var output = Run(StopConditions.None);

        Assert.Equal(Full, output.Text);
        Assert.Equal(Sentence.Count, output.Tokens);
        Assert.Equal("length", output.FinishReason);
        Assert.Null(output.StopReason);
    }

    [Theory]
    [InlineData(0, "e", " is L")]
    [InlineData(5, "e", " is Lee, and I'm a stud")] // vLLM's expected text for these three cases
    [InlineData(0, "Lee, and", " is ")]
    [InlineData(0, "college", " is Lee, and I'm a student in the ")]
    public void A_stop_string_cuts_the_text_where_it_starts(int minTokens, string stop, string expected)
    {
        var output = Run(new StopConditions([stop], new HashSet<int>(), MinTokens: minTokens));

        Assert.Equal(expected, output.Text);
        Assert.Equal("stop", output.FinishReason);
        Assert.Equal(stop, output.StopReason);
        // Every token generated is counted, up to the one that completed the stop string.
        Assert.Equal(TokensThrough(expected.Length + stop.Length), output.Tokens);
    }

    [Fact]
    public void With_include_stop_str_in_output_the_text_ends_where_the_stop_string_ends()
    {
        var output = Run(new StopConditions(["Lee, and"], new HashSet<int>(), IncludeStopStrInOutput: true));
        Assert.Equal(" is Lee, and", output.Text);
        Assert.Equal(4, output.Tokens);

        // A stop string that ends inside a token: the rest of that token is cut off.
        output = Run(new StopConditions(["stud"], new HashSet<int>(), IncludeStopStrInOutput: true));
        Assert.Equal(" is Lee, and I'm a stud", output.Text);
        Assert.Equal("stud", output.StopReason);
    }

    [Fact]
    public void Of_several_stop_strings_the_one_that_completes_first_wins()
    {
        Assert.Equal("student", Run(Stops("college", "student")).StopReason);
        // Both complete in the token " student": "stu" ends first, whatever the list order.
        var output = Run(Stops("dent", "stu"));
        Assert.Equal("stu", output.StopReason);
        Assert.Equal(" is Lee, and I'm a ", output.Text);
    }

    [Fact]
    public void A_stop_token_is_counted_but_its_text_is_left_out()
    {
        var and = Token(" and");
        var output = Run(new StopConditions([], new HashSet<int> { and }));
        Assert.Equal(" is Lee,", output.Text);
        Assert.Equal(4, output.Tokens);
        Assert.Equal("stop", output.FinishReason);
        Assert.Equal(and, output.StopReason);

        var included = Run(new StopConditions([], new HashSet<int> { and }, IncludeStopStrInOutput: true));
        Assert.Equal(" is Lee, and", included.Text);
        Assert.Equal(4, included.Tokens);
    }

    [Fact]
    public void Stops_on_the_last_token_of_the_budget_still_say_stop()
    {
        var byToken = Run(new StopConditions([], new HashSet<int> { Token(" and") }), budget: 4);
        Assert.Equal(("stop", 4), (byToken.FinishReason, byToken.Tokens));

        var byString = Run(Stops("and"), budget: 4);
        Assert.Equal(("stop", " is Lee, "), (byString.FinishReason, byString.Text));
    }

    [Fact]
    public void Nothing_stops_the_output_before_min_tokens()
    {
        var output = Run(new StopConditions([], new HashSet<int> { Token(" is"), Token(" a") }, MinTokens: 3));
        Assert.Equal(" is Lee, and I'm", output.Text);
        Assert.Equal(Token(" a"), output.StopReason);

        // The model's own end (the caller moves it past min_tokens): stop, with no stop reason.
        var natural = Run(StopConditions.None, naturalEnd: 4);
        Assert.Equal((" is Lee, and", "stop", 4), (natural.Text, natural.FinishReason, natural.Tokens));
        Assert.Null(natural.StopReason);
    }

    [Fact]
    public void A_stream_holds_back_what_could_be_the_start_of_a_stop_string()
    {
        var output = Run(Stops("Lee, and", "x"));
        Assert.Equal(" is ", output.Text);
        var hold = "Lee, and".Length - 1;

        var shown = Enumerable.Range(1, output.Tokens).Select(output.Visible).ToList();
        Assert.All(shown, s => Assert.StartsWith(s, output.Text, StringComparison.Ordinal));
        Assert.Equal(output.Text, shown[^1]);
        Assert.Equal(" is Lee,"[..Math.Max(0, " is Lee,".Length - hold)], shown[2]); // 3 tokens out, 7 characters held back
        Assert.Equal("", output.Visible(1));

        // Without stop strings (or keeping them in the output) nothing is held back.
        var plain = Run(StopConditions.None);
        Assert.Equal(" is Lee", plain.Visible(2));
        var kept = Run(new StopConditions(["college"], new HashSet<int>(), IncludeStopStrInOutput: true));
        Assert.Equal(" is Lee", kept.Visible(2));
    }
}
