namespace DisaggServing.Topology;

/// <summary>Which engine image the pools run.</summary>
public sealed class EngineSettings
{
    /// <summary>vLLM on GPUs, or our simulated Worker on CPU nodes.</summary>
    public EngineKind Kind { get; set; } = EngineKind.Vllm;

    /// <summary>vLLM image repository.</summary>
    public string VllmImage { get; set; } = "vllm/vllm-openai";

    /// <summary>vLLM image tag.</summary>
    public string VllmVersion { get; set; } = "v0.18.1";

    /// <summary>Worker image, repository and tag.</summary>
    public string WorkerImage { get; set; } = "disaggserving/worker:0.1.0";

    /// <summary>HTTP port of engine pods.</summary>
    public int Port { get; set; } = 8000;

    /// <summary>torch.distributed port the LeaderWorkerSet leader listens on for its workers.</summary>
    public int MasterPort { get; set; } = 29500;

    /// <summary>NCCL_DEBUG level of engines that talk across nodes.</summary>
    public string NcclDebug { get; set; } = "INFO";

    /// <summary>The image engine pods run when a pool names none.</summary>
    public string DefaultImage => Kind == EngineKind.Vllm ? $"{VllmImage}:{VllmVersion}" : WorkerImage;
}
