namespace DisaggServing.Hosting.Gpus;

/// <summary>One GPU of this machine, as <c>nvidia-smi --query-gpu=index,name,memory.total,uuid</c> reports it.</summary>
/// <param name="Index">nvidia-smi's index (PCI bus order; what CUDA_VISIBLE_DEVICES means under CUDA_DEVICE_ORDER=PCI_BUS_ID).</param>
/// <param name="Name">Product name, e.g. <c>NVIDIA H100 80GB HBM3</c>.</param>
/// <param name="MemoryMiB">Total memory in MiB; null when the driver reports none (<c>[N/A]</c>).</param>
/// <param name="Uuid">The GPU's UUID, e.g. <c>GPU-5f1a…</c>.</param>
public sealed record LocalGpu(int Index, string Name, long? MemoryMiB, string Uuid);
