namespace DisaggServing.Topology.Tests;

/// <summary>Small topologies for tests.</summary>
internal static class Samples
{
    public const string Llama70B = "meta-llama/Llama-3.3-70B-Instruct";
    public const string Llama8B = "meta-llama/Llama-3.1-8B-Instruct";
    public const string DeepSeek = "deepseek-ai/DeepSeek-V3";
    public const string Glm5 = "zai-org/GLM-5-FP8";

    public static TopologyPool Pool(string name, PoolRole role, int tp, int replicas = 1, string model = Llama70B, int pp = 1, string dtype = "") => new()
    {
        Name = name,
        Role = role,
        Model = model,
        InstanceType = "p5.48xlarge",
        TensorParallel = tp,
        PipelineParallel = pp,
        Replicas = replicas,
        WeightDtype = dtype,
    };

    /// <summary>A P/D topology; 70B BF16 needs TP ≥ 4 to fit an H100, so use the 8B model for small TPs.</summary>
    public static TopologySpec Pd(int prefillTp, int decodeTp, string model = Llama8B, int prefillReplicas = 1, int decodeReplicas = 1) => new()
    {
        Name = "test",
        Namespace = "test",
        Pools = [Pool("prefill", PoolRole.Prefill, prefillTp, prefillReplicas, model), Pool("decode", PoolRole.Decode, decodeTp, decodeReplicas, model)],
    };

    public static TopologySpec Single(TopologyPool pool) => new() { Name = "test", Namespace = "test", Pools = [pool] };

    /// <summary>The seed's packing: 2 prefill pods of TP=4 and 4 decode pods of TP=2 (a valid NIXL pairing for this 8-KV-head model since vLLM #27274).</summary>
    public static TopologySpec SeedPacking() => new()
    {
        Name = "seed",
        Namespace = "seed",
        Pools =
        [
            Pool("prefill", PoolRole.Prefill, 4, 2, Llama8B),
            Pool("decode", PoolRole.Decode, 2, 4, Llama8B),
        ],
    };
}
