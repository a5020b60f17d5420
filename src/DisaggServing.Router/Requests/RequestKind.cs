namespace DisaggServing.Router.Requests;

/// <summary>Which OpenAI endpoint a request came to.</summary>
public enum RequestKind
{
    /// <summary><c>/v1/completions</c>.</summary>
    Completion,

    /// <summary><c>/v1/chat/completions</c>.</summary>
    Chat,
}
