namespace DisaggServing.Engine;

/// <summary>
/// Bad input from a user (an unknown id, an impossible size, a malformed trace line). Its message names the
/// field and the fix; hosts show it without a stack trace (the CLI exits with code 2).
/// </summary>
public sealed class InputException : Exception
{
    /// <summary>Creates the exception with a message that names the field and the fix.</summary>
    public InputException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the underlying cause.</summary>
    public InputException(string message, Exception inner) : base(message, inner) { }
}
