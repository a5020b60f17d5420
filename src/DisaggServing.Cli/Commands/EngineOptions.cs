using System.CommandLine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// The engine options both verbs share (model, GPU, dtypes, PP and vLLM's scheduler limits), with vLLM's defaults.
/// Each verb makes its own instance: a System.CommandLine option belongs to one command.
/// </summary>
internal sealed class EngineOptions
{
    public Option<ModelSpec> Model { get; } = CliOptions.Required(CliOptions.Parsed("--model", "Model, by Hugging Face id (e.g. meta-llama/Llama-3.1-8B-Instruct).",
        "ID", id => ModelCatalog.Get(id, "--model")));

    public Option<GpuSpec> Gpu { get; } = CliOptions.Required(CliOptions.Parsed("--gpu", $"GPU: {string.Join(", ", GpuCatalog.All.Keys.Order(StringComparer.Ordinal))}.",
        "ID", id => GpuCatalog.Get(id, "--gpu")));

    public Option<DType?> Dtype { get; } = CliOptions.Parsed<DType?>("--dtype", "Weight format [default: bf16].", "fp8|bf16", text => DTypes.Parse(text, "--dtype"));

    public Option<DType?> KvCacheDtype { get; } = CliOptions.Parsed<DType?>("--kv-cache-dtype", "KV-cache format [default: as --dtype].",
        "fp8|bf16", text => DTypes.Parse(text, "--kv-cache-dtype"));

    public Option<int> PipelineParallel { get; } = CliOptions.PositiveInt("--pp", "Pipeline-parallel size (stages).", 1);

    public Option<int> MaxNumSeqs { get; } = CliOptions.PositiveInt("--max-num-seqs", "vLLM --max-num-seqs: sequences per step.", 256);

    public Option<int> MaxNumBatchedTokens { get; } = CliOptions.PositiveInt("--max-num-batched-tokens", "vLLM --max-num-batched-tokens: tokens per step.", 8192);

    public Option<double?> GpuMemoryUtilization { get; } = CliOptions.PositiveDouble("--gpu-memory-utilization",
        "Fraction of GPU memory the engine may use [default: 0.9].", max: 1, helpName: "F");

    /// <summary>Adds the options to <paramref name="command"/>, with <paramref name="shape"/> (the verb's TP or pools) right after model and GPU.</summary>
    public void AddTo(Command command, params Option[] shape)
    {
        command.Add(Model);
        command.Add(Gpu);
        foreach (var option in shape)
        {
            command.Add(option);
        }

        command.Add(Dtype);
        command.Add(KvCacheDtype);
        command.Add(PipelineParallel);
        command.Add(MaxNumSeqs);
        command.Add(MaxNumBatchedTokens);
        command.Add(GpuMemoryUtilization);
    }

    /// <summary>The engine these options describe, at <paramref name="tensorParallel"/>; not yet validated.</summary>
    public EngineSpec Build(ParseResult parse, int tensorParallel) => new()
    {
        Model = parse.GetRequiredValue(Model),
        Gpu = parse.GetRequiredValue(Gpu),
        TensorParallel = tensorParallel,
        PipelineParallel = parse.GetValue(PipelineParallel),
        WeightDtype = parse.GetValue(Dtype) ?? DType.Bf16,
        KvCacheDtype = parse.GetValue(KvCacheDtype),
        GpuMemoryUtilization = parse.GetValue(GpuMemoryUtilization) ?? 0.9,
        MaxNumSeqs = parse.GetValue(MaxNumSeqs),
        MaxNumBatchedTokens = parse.GetValue(MaxNumBatchedTokens),
    };
}
