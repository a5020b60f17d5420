namespace DisaggServing.Testing;

/// <summary>
/// A kit assertion failed. Any test framework reports it as a failure with its message, which says what was expected,
/// what was measured and where to look.
/// </summary>
public sealed class DisaggAssertionException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public DisaggAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public DisaggAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public DisaggAssertionException()
    {
    }
}
