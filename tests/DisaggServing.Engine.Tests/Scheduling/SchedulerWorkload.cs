using CsCheck;
using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

/// <summary>A random workload and engine for the property tests; sized so every request fits the pool.</summary>
public sealed record SchedulerWorkload(RequestSpec[] Requests, int BlockSize, int MaxNumSeqs, int ExtraBudget,
    bool ChunkedPrefill, bool PrefixCaching, AdmissionPolicy Policy, int ExtraBlocks, int DriverSeed)
{
    // Three fixed 64-token prefixes over a 3-token vocabulary, so equal and partly equal prompts abound.
    private static readonly int[][] Prefixes =
        [.. Enumerable.Range(0, 3).Select(k => { var rng = new Random(k); return Enumerable.Range(0, 64).Select(_ => rng.Next(3)).ToArray(); })];

    public static Gen<SchedulerWorkload> Gen { get; } = BuildGen();

    public int[] PromptOf(RequestSpec spec)
    {
        int[] tokens = [.. Prefixes[spec.Prefix].AsSpan(0, spec.PrefixLength), .. spec.Suffix];
        return tokens.Length == 0 ? [0] : tokens;
    }

    public SchedulerConfig Config()
    {
        var maxBlocks = 1;
        var maxKv = 1;
        foreach (var spec in Requests)
        {
            var kv = PromptOf(spec).Length + spec.MaxOutputTokens - 1;
            maxKv = Math.Max(maxKv, kv);
            maxBlocks = Math.Max(maxBlocks, (kv + BlockSize - 1) / BlockSize);
        }
        return new SchedulerConfig
        {
            BlockSize = BlockSize,
            NumGpuBlocks = maxBlocks + ExtraBlocks,
            MaxNumSeqs = MaxNumSeqs,
            // Unchunked prefills (and recomputes after preemption) must fit one step.
            MaxNumBatchedTokens = Math.Max(MaxNumSeqs, (ChunkedPrefill ? 1 : maxKv) + ExtraBudget),
            EnableChunkedPrefill = ChunkedPrefill,
            EnablePrefixCaching = PrefixCaching,
            AdmissionPolicy = Policy,
            LeaseDuration = TimeSpan.FromMilliseconds(150),
        };
    }

    public override string ToString() =>
        $"bs={BlockSize} seqs={MaxNumSeqs} budget+={ExtraBudget} chunked={ChunkedPrefill} caching={PrefixCaching} " +
        $"{Policy} blocks+={ExtraBlocks} seed={DriverSeed}\n  " + string.Join("\n  ", Requests.Select(r => r.ToString()));

    private static Gen<SchedulerWorkload> BuildGen()
    {
        var spec = CsCheck.Gen.Select(
            CsCheck.Gen.Int[0, 2], CsCheck.Gen.Int[0, 64], CsCheck.Gen.Int[0, 2].Array[0, 24], CsCheck.Gen.Int[1, 12],
            CsCheck.Gen.Int[0, 9], CsCheck.Gen.Int[0, 30], CsCheck.Gen.Int[0, 99],
            (prefix, prefixLength, suffix, maxOut, kindRoll, arrival, abortRoll) =>
            {
                var kind = kindRoll switch
                {
                    < 6 => EngineRequestKind.Normal,
                    < 8 => EngineRequestKind.PrefillForRemoteDecode,
                    _ => EngineRequestKind.DecodeWithRemoteKv,
                };
                // The router asks a prefill engine for one token; sometimes test more.
                if (kind == EngineRequestKind.PrefillForRemoteDecode && maxOut % 3 != 0)
                    maxOut = 1;
                var abortStep = abortRoll < 15 ? arrival + abortRoll * 3 % 40 : -1;
                return new RequestSpec(prefix, prefixLength, suffix, maxOut, kind, arrival, abortStep);
            });
        return CsCheck.Gen.Select(
            spec.Array[1, 30], CsCheck.Gen.Int[1, 3], CsCheck.Gen.Int[1, 6], CsCheck.Gen.Int[0, 64], CsCheck.Gen.Bool,
            CsCheck.Gen.Bool, CsCheck.Gen.Enum<AdmissionPolicy>(), CsCheck.Gen.Int[0, 12], CsCheck.Gen.Int,
            (requests, log2Block, seqs, budget, chunked, caching, policy, extraBlocks, seed) =>
                new SchedulerWorkload(requests, 1 << log2Block, seqs, budget, chunked, caching, policy, extraBlocks, seed));
    }
}
