using System.CommandLine;
using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// vLLM's spelling of a MoE model's parallel layout on <c>estimate</c>, so a <c>vllm serve</c> line runs as written:
/// <c>--enable-expert-parallel</c> spreads the experts over every rank and <c>--data-parallel-size D</c> (at
/// <c>--tensor-parallel-size 1</c>) runs D ranks of attention data parallelism sharing the experts. Both are estimated
/// as the layout's own flags: <c>--tp</c> the ranks, <c>--ep</c> and <c>--attention-dp</c>.
/// </summary>
internal sealed class VllmParallelOptions
{
    private readonly Option<bool> enableExpertParallel = CliOptions.Flag("--enable-expert-parallel",
        "vLLM's expert parallelism: the experts spread over every rank (TP × --data-parallel-size), as --ep with that size.");

    private readonly Option<int?> dataParallel = CliOptions.OptionalPositiveInt("--data-parallel-size",
        "vLLM's data parallelism of a MoE model at --tensor-parallel-size 1: D ranks each running attention for its own requests, the experts shared by all (TP-sharded, or spread with --enable-expert-parallel): estimated as --tp D --attention-dp. A dense model's DP runs D separate replicas: estimate one at its share of the load.");

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(enableExpertParallel);
        command.Add(dataParallel);
    }

    /// <summary>
    /// The layout vLLM's flags give at <paramref name="tensorParallel"/> (--tp): the ranks, and the expert parallelism
    /// and attention DP they set (null where they set none, so the layout's own flags hold).
    /// </summary>
    /// <exception cref="InputException">The flags do not apply to the engine or the model, or contradict --ep.</exception>
    public (int Ranks, int? ExpertParallel, bool? AttentionDataParallel) Apply(ParseResult parse, ServingEngine engine, ModelSpec model, int tensorParallel, Option<int> expertParallel)
    {
        var spread = parse.GetValue(enableExpertParallel);
        var dp = parse.GetValue(dataParallel);
        if (!spread && dp is null) return (tensorParallel, null, null);
        var named = spread ? "--enable-expert-parallel" : "--data-parallel-size";
        if (engine != ServingEngine.Vllm)
            throw new InputException($"{named} is vLLM's; for {EngineProfiles.For(engine).Name} give the layout as --tp N with --ep N and --attention-dp.");
        if (model.Moe is null)
            throw new InputException($"{named}: {model.Id} is dense, and vLLM runs its data parallelism as separate replicas; estimate one replica (--tp) at its share of the load.");
        if (dp > 1 && tensorParallel > 1)
            throw new InputException($"--data-parallel-size {dp} with --tensor-parallel-size {tensorParallel} (attention TP inside each DP rank) is not modelled; give --tensor-parallel-size 1 --data-parallel-size {dp * tensorParallel} (attention DP over every rank) or --tp {dp * tensorParallel} alone.");
        var ranks = tensorParallel * (dp ?? 1);
        if (spread && parse.GetResult(expertParallel) is { Implicit: false } && parse.GetValue(expertParallel) != ranks)
            throw new InputException($"--enable-expert-parallel spreads the experts over all {ranks} ranks, and --ep {parse.GetValue(expertParallel)} says otherwise; give one of them.");
        return (ranks, spread ? ranks : null, dp > 1 ? true : null);
    }
}
