namespace DisaggServing.Engine;

/// <summary>
/// Bad user input (a workload spec, a trace file, an SLO, a policy name, a clock speed). The message names
/// the field and says how to fix it, so hosts can print it as is; the CLI maps it to exit code 2.
/// </summary>
public sealed class InputException : Exception
{
    /// <summary>Creates the exception with a message that names the field and the fix.</summary>
    public InputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message that names the field and the fix, and the low-level cause.</summary>
    public InputException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
