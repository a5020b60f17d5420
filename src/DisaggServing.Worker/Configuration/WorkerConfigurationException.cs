namespace DisaggServing.Worker.Configuration;

/// <summary>The worker cannot start with its configuration; the message names the setting and the fix.</summary>
public sealed class WorkerConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
