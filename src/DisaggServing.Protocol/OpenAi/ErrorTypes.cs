namespace DisaggServing.Protocol.OpenAi;

/// <summary>OpenAI error <c>type</c> values.</summary>
public static class ErrorTypes
{
    /// <summary>Bad request body or field.</summary>
    public const string InvalidRequest = "invalid_request_error";

    /// <summary>Missing or invalid API key.</summary>
    public const string Authentication = "authentication_error";

    /// <summary>Unknown model or resource.</summary>
    public const string NotFound = "not_found_error";

    /// <summary>Server or upstream failure.</summary>
    public const string Server = "server_error";
}
