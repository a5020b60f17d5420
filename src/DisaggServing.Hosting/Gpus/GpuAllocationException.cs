namespace DisaggServing.Hosting.Gpus;

/// <summary>This machine's GPUs cannot hold the topology; the message says how many of which kind it needs and what was found.</summary>
public sealed class GpuAllocationException : Exception
{
    /// <summary>An exception with no message.</summary>
    public GpuAllocationException()
    {
    }

    /// <summary>An exception saying what is needed and what was found.</summary>
    public GpuAllocationException(string message) : base(message)
    {
    }

    /// <summary>An exception saying what is needed and what was found, and what caused it.</summary>
    public GpuAllocationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
