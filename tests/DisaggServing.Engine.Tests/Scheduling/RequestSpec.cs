using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

/// <summary>One request of a random workload: a shared prefix, a random tail from a tiny vocabulary.</summary>
public sealed record RequestSpec(int Prefix, int PrefixLength, int[] Suffix, int MaxOutputTokens,
    EngineRequestKind Kind, int ArrivalStep, int AbortStep)
{
    public override string ToString() =>
        $"({Kind} p{Prefix}[..{PrefixLength}]+[{string.Join(",", Suffix)}] out={MaxOutputTokens} at={ArrivalStep} abort={AbortStep})";
}
