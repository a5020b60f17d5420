namespace DisaggServing.Testing;

/// <summary>
/// The topology did not come up: which resource failed or is still not ready, in what state, and its last log lines.
/// </summary>
public sealed class DisaggStartException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public DisaggStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public DisaggStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public DisaggStartException()
    {
    }
}
