namespace DisaggServing.Hosting.Gpus;

/// <summary>Finds this machine's GPUs (<see cref="NvidiaSmiGpuDiscovery"/>; tests put a stand-in <c>nvidia-smi</c> first on PATH).</summary>
public interface IGpuDiscovery
{
    /// <summary>Every GPU, by index; a <see cref="GpuDiscoveryException"/> saying why when they cannot be listed.</summary>
    IReadOnlyList<LocalGpu> Discover();
}
