using System.Text;
using DisaggServing.Protocol.Tokenization;

namespace DisaggServing.Protocol.Tests;

public sealed class PromptTokenizersTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"ranks-{Guid.NewGuid():N}.tiktoken");

    public PromptTokenizersTests()
    {
        // A tiny tiktoken rank file: every byte, then two merges.
        var lines = Enumerable.Range(0, 256).Select(b => $"{Convert.ToBase64String([(byte)b])} {b}")
            .Append($"{Convert.ToBase64String("ab"u8.ToArray())} 256")
            .Append($"{Convert.ToBase64String("abab"u8.ToArray())} 257");
        File.WriteAllLines(_file, lines, Encoding.ASCII);
    }

    public void Dispose()
    {
        PromptTokenizers.Clear();
        File.Delete(_file);
    }

    [Fact]
    public void A_models_tiktoken_file_gives_its_own_ids_and_other_models_keep_the_named_cl100k_fallback()
    {
        var tokenizer = PromptTokenizers.LoadTiktoken("tiny-model", _file);
        Assert.Equal([257, 99], PromptTokenizers.For("tiny-model").Encode("ababc"));
        Assert.Same(tokenizer, PromptTokenizers.For("tiny-model"));
        Assert.Same(PromptTokenizer.Cl100kFallback, PromptTokenizers.For("other-model"));
        Assert.Same(PromptTokenizer.Cl100kFallback, PromptTokenizers.For(null));
        Assert.Contains("fallback", PromptTokenizer.Cl100kFallback.Name);
    }

    [Fact]
    public void A_missing_or_bad_file_fails_naming_the_file_and_model()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => PromptTokenizers.LoadTiktoken("m", _file + ".none"));
        Assert.Contains("'m'", missing.Message);
        File.WriteAllText(_file, "not base64 at all\n");
        var bad = Assert.Throws<InvalidOperationException>(() => PromptTokenizers.LoadTiktoken("m", _file));
        Assert.Contains(_file, bad.Message);
    }
}
