namespace DisaggServing.Engine.Performance;

/// <summary>What an engine that sizes its steps and CUDA graphs by GPU memory picks below 60 GiB (<see cref="EngineProfile.Under60GiB"/>).</summary>
/// <param name="MaxNumBatchedTokens">Tokens per step (SGLang's chunked_prefill_size).</param>
/// <param name="CudaGraphMaxBatch">Largest CUDA-graph batch below TP4.</param>
/// <param name="CudaGraphMaxBatchFromTp4">Largest CUDA-graph batch from TP4.</param>
public sealed record Under60GiBDefaults(int MaxNumBatchedTokens, int CudaGraphMaxBatch, int CudaGraphMaxBatchFromTp4);
