namespace DisaggServing.Protocol.OpenAi;

/// <summary>OpenAI error <c>type</c> values, and the ones vLLM's OpenAI server writes.</summary>
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

    /// <summary>vLLM: a value its serving layer refuses (<c>create_error_response</c>).</summary>
    public const string VllmBadRequest = "BadRequestError";

    /// <summary>vLLM: a body its request models refuse (FastAPI's validation error, as the HTTP reason phrase).</summary>
    public const string VllmSchema = "Bad Request";

    /// <summary>vLLM: an unknown model.</summary>
    public const string VllmNotFound = "NotFoundError";

    /// <summary>vLLM/Starlette: a route that does not exist (the HTTP reason phrase).</summary>
    public const string RouteNotFound = "Not Found";

    /// <summary>vLLM/Starlette: a route that exists under another method (the HTTP reason phrase).</summary>
    public const string MethodNotAllowed = "Method Not Allowed";
}
