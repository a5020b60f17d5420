namespace DisaggServing.Router.Configuration;

/// <summary>One <c>Router:Tokenizers:i</c> entry: a model and its tokenizer file.</summary>
public sealed class TokenizerFileOptions
{
    /// <summary>The served model id, as requests name it.</summary>
    public string? Model { get; set; }

    /// <summary>Path of the model's tiktoken rank file (one <c>base64(token) rank</c> per line).</summary>
    public string? TiktokenFile { get; set; }
}
