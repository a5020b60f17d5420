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

    /// <summary>Worker image, repository and tag (<c>dotnet publish src/DisaggServing.Worker -t:PublishContainer</c> builds it); <see cref="EksSettings.Registry"/> is put in front.</summary>
    public string WorkerImage { get; set; } = "disaggserving/worker:0.1.0";

    /// <summary>HTTP port of engine pods.</summary>
    public int Port { get; set; } = 8000;

    /// <summary>torch.distributed port the LeaderWorkerSet leader listens on for its workers.</summary>
    public int MasterPort { get; set; } = 29500;

    /// <summary>NCCL_DEBUG level of engines that talk across nodes.</summary>
    public string NcclDebug { get; set; } = "INFO";

    /// <summary>
    /// Secret (in the topology's namespace) holding the key vLLM engines require on <c>/v1</c> (<c>VLLM_API_KEY</c>)
    /// and the router sends them (<c>Router__WorkerApiKey</c>); both read it optionally, so without the Secret
    /// engines are open to what the NetworkPolicies let in (the router). Empty: no engine key.
    /// </summary>
    public string ApiKeySecret { get; set; } = "engine-api-key";

    /// <summary>Key of the engine key in <see cref="ApiKeySecret"/>.</summary>
    public string ApiKeySecretKey { get; set; } = "api-key";

    /// <summary>The image engine pods run when a pool names none.</summary>
    public string DefaultImage => Kind == EngineKind.Vllm ? $"{VllmImage}:{VllmVersion}" : WorkerImage;
}
