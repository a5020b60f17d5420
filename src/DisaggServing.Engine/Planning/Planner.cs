using System.Collections.Concurrent;
using System.Diagnostics;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Simulation;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Planning;

/// <summary>
/// Searches instance type × TP × layout (colocated, or P/D with a TP per role) × replicas for the cheapest cluster
/// that serves <see cref="PlanRequest.Rate"/> (plus <see cref="PlanRequest.Headroom"/>) within the SLO. Layouts whose engine cannot hold the model and one
/// request's KV are pruned unsimulated. Per layout it grows replicas until the simulated attainment at the rate meets
/// the target (colocated: doubling, then bisection; P/D: growing the role whose SLO term is missed, then trimming
/// each role while it still meets), and measures that configuration's goodput. Every simulation runs the same
/// requests (one seed), so configurations compare on equal traffic.
/// </summary>
public static class Planner
{
    private static readonly int[] TensorParallelSizes = [1, 2, 4, 8];

    /// <summary>Runs the search; <paramref name="progress"/> receives the fraction of layouts done.</summary>
    public static PlanResult Plan(PlanRequest request, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var wall = Stopwatch.StartNew();
        var arrivals = request.Workload.Generate(request.Requests, request.SizedRate, request.Seed);
        var meanOutput = arrivals.Average(a => (double)a.OutputTokens);
        var layouts = Layouts(request, arrivals).ToList();
        if (layouts.Count == 0)
            throw NoLayout(request);

        var counter = new Counter();
        var results = new ConcurrentBag<PlanCandidate>();
        var done = 0;
        // One layout at a time to whichever core is free: a list is otherwise split into fixed ranges up front, and
        // layouts differ tenfold in cost (P/D searches grow two roles), so one core could finish long before the other.
        var queue = Partitioner.Create(layouts, EnumerablePartitionerOptions.NoBuffering);
        Parallel.ForEach(queue, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, request.Parallelism) }, layout =>
        {
            var search = new LayoutSearch(request, layout, arrivals, counter);
            if (search.Run() is { } found) results.Add(Price(request, layout.Instance, found.Cluster, found.Report, search.Goodput(found.Cluster, found.Report), meanOutput));
            progress?.Report(Interlocked.Increment(ref done) / (double)layouts.Count);
        });

        var candidates = results.OrderBy(c => c.UsdPerHour).ThenByDescending(c => c.GoodputRps).ThenBy(c => c.Describe(), StringComparer.Ordinal).ToList();
        return new PlanResult
        {
            Best = candidates.FirstOrDefault(c => c.Meets),
            Candidates = candidates,
            ConfigurationsSimulated = counter.Simulations,
            SimulatedRequests = counter.Requests,
            WallSeconds = wall.Elapsed.TotalSeconds,
        };
    }

    /// <summary>
    /// The engine a pool of <paramref name="tp"/> GPUs of <paramref name="instance"/> runs: the request's engine at its
    /// defaults on that GPU (its release's, where the request names one), with the fitted constants of that GPU when the request has them.
    /// </summary>
    public static EngineSpec Engine(PlanRequest request, InstanceTypeSpec instance, int tp) => new EngineSpec
    {
        Model = request.Model,
        Gpu = instance.Gpu,
        TensorParallel = tp,
        WeightDtype = request.WeightDtype,
        KvCacheDtype = request.KvCacheDtype,
        Engine = request.Engine,
        MaxNumSeqs = request.Engine.ReplicaMaxNumSeqs(instance.Gpu, 1, request.Speculative is not null),
        MaxNumBatchedTokens = request.Engine.DefaultMaxNumBatchedTokens(instance.Gpu),
        EnableChunkedPrefill = request.Engine.ChunkedPrefill,
        TensorRtEngine = request.TensorRtEngine,
        Nim = request.Nim,
        Speculative = request.Speculative,
        Constants = request.Constants.FirstOrDefault(c => string.Equals(c.Key, instance.Gpu.Id, StringComparison.OrdinalIgnoreCase)).Value,
    }.AsReleased(request.Release);

    /// <summary>Colocated layouts (one TP) and P/D layouts (a TP per role, pairs NIXL accepts) that fit.</summary>
    private static IEnumerable<Layout> Layouts(PlanRequest request, WorkloadRequest[] arrivals)
    {
        var longestPrompt = arrivals.Max(a => a.InputTokens);
        var longest = arrivals.Max(a => a.InputTokens + a.OutputTokens);
        foreach (var instance in request.InstanceTypes)
        {
            var fits = TensorParallelSizes.Where(tp => tp <= instance.GpuCount && tp <= request.MaxGpus).ToList();
            var whole = fits.Where(tp => Holds(request, instance, tp, longest)).ToList();
            var prefill = fits.Where(tp => Holds(request, instance, tp, longestPrompt + 1)).ToList();
            foreach (var tp in whole) yield return new Layout(instance, null, null, tp);
            foreach (var p in prefill)
                foreach (var d in whole)
                    if (NixlPairs(request.Model, p, d) && p + d <= request.MaxGpus)
                        yield return new Layout(instance, p, d, null);
        }
    }

    // Why no layout was left: the engine refusing the model on every GPU searched (a format its kernels lack there), or
    // the memory of every TP up to 8.
    private static InputException NoLayout(PlanRequest request)
    {
        var refusals = request.InstanceTypes.Select(instance => Refusal(request, instance)).ToList();
        if (refusals.All(r => r is not null))
            return new InputException($"{request.Model.Id} ({request.WeightDtype.Name()}) cannot be served on any GPU searched. {string.Join(" ", refusals)}");
        var hint = request.WeightDtype == DType.Bf16 ? "try --dtype fp8 or a larger GPU" : "try a larger GPU";
        return new InputException($"{request.Model.Id} ({request.WeightDtype.Name()}) fits no TP ≤ 8 on {string.Join(", ", request.InstanceTypes.Select(i => i.Gpu.Id))} with room for the workload's longest request; {hint}.");
    }

    // The engine's refusal of the model on the instance's GPU at every TP it offers (the first TP's reason), or null.
    private static string? Refusal(PlanRequest request, InstanceTypeSpec instance)
    {
        string? first = null;
        foreach (var tp in TensorParallelSizes.Where(tp => tp <= instance.GpuCount))
        {
            try { Engine(request, instance, tp).Validate(); return null; }
            catch (InputException e) { first ??= e.Message; }
        }
        return first is null ? null : $"{instance.Gpu.Id}: {first}";
    }

    /// <summary>True when the engine is a valid layout whose KV cache holds a request of <paramref name="tokens"/>.</summary>
    private static bool Holds(PlanRequest request, InstanceTypeSpec instance, int tp, int tokens)
    {
        var engine = Engine(request, instance, tp);
        try { engine.Validate(); }
        catch (InputException) { return false; }
        var plan = MemoryModel.Plan(engine);
        return plan.Fits && plan.KvBlocks * engine.BlockSize >= tokens;
    }

    /// <summary>NIXL pairs TPs by a whole ratio; a larger prefill TP needs a GQA prefill TP below the KV heads (vLLM #27274).</summary>
    private static bool NixlPairs(ModelSpec model, int prefill, int decode) =>
        Math.Max(prefill, decode) % Math.Min(prefill, decode) == 0
        && (prefill <= decode || model.Attention == AttentionKind.Mla || prefill < model.KvHeads);

    private static PlanCandidate Price(PlanRequest request, InstanceTypeSpec instance, ClusterSpec cluster, SimulationReport report, double goodput, double meanOutput)
    {
        static PlanPool? Pool(PoolSpec? pool) => pool is null ? null : new PlanPool(pool.Replicas, pool.Engine.TensorParallel);
        var (prefill, decode, colocated) = (Pool(cluster.Prefill), Pool(cluster.Decode), Pool(cluster.Colocated));
        var nodes = (prefill?.Nodes(instance.GpuCount) ?? 0) + (decode?.Nodes(instance.GpuCount) ?? 0) + (colocated?.Nodes(instance.GpuCount) ?? 0);
        var usdPerHour = nodes * request.UsdPerHour[instance.Id];
        return new PlanCandidate
        {
            Gpu = instance.Gpu.Id,
            InstanceType = instance.Id,
            Prefill = prefill,
            Decode = decode,
            Colocated = colocated,
            Gpus = cluster.Gpus,
            Nodes = nodes,
            UsdPerHour = usdPerHour,
            GoodputRps = goodput,
            SloAttainment = report.SloAttainment,
            Meets = report.SloAttainment >= request.TargetAttainment,
            UsdPerMillionOutputTokens = goodput > 0 ? usdPerHour / (goodput * meanOutput * 3600) * 1e6 : null,
        };
    }

    /// <summary>Colocated (<see cref="Colocated"/> TP) or P/D (<see cref="Prefill"/> and <see cref="Decode"/> TPs) on one instance type.</summary>
    internal sealed record Layout(InstanceTypeSpec Instance, int? Prefill, int? Decode, int? Colocated);

    internal sealed class Counter
    {
        private int _simulations;
        private long _requests;

        public int Simulations => Volatile.Read(ref _simulations);

        public long Requests => Interlocked.Read(ref _requests);

        public void Add(int requests)
        {
            Interlocked.Increment(ref _simulations);
            Interlocked.Add(ref _requests, requests);
        }
    }
}
