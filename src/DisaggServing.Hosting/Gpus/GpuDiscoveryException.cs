namespace DisaggServing.Hosting.Gpus;

/// <summary>The GPUs could not be listed: no <c>nvidia-smi</c>, a failing driver, or output that is not the queried CSV.</summary>
public sealed class GpuDiscoveryException : Exception
{
    /// <summary>An exception with no message.</summary>
    public GpuDiscoveryException()
    {
    }

    /// <summary>An exception saying what went wrong.</summary>
    public GpuDiscoveryException(string message) : base(message)
    {
    }

    /// <summary>An exception saying what went wrong, and what caused it.</summary>
    public GpuDiscoveryException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
