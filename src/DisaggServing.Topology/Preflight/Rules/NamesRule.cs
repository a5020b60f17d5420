using System.Text.RegularExpressions;

namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>Object names must be DNS labels, short enough for the suffixes LWS and Services add, and unique.</summary>
internal sealed partial class NamesRule : PreflightRule
{
    // Pool names become Service names (DNS-1035: start with a letter) and LWS pod names (<name>-<group>-<worker>).
    private const int MaxPoolName = 40;

    public override string Id => "names";

    public override string Description => "Topology, namespace and pool names are valid, short DNS labels and pool names are unique.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        var spec = context.Spec;
        if (!Label().IsMatch(spec.Name) || spec.Name.Length > 63)
            yield return Error(null, $"topology name '{spec.Name}' is not a DNS label.", "Use lower-case letters, digits and '-', starting with a letter, at most 63 characters.");
        if (!Label().IsMatch(spec.Namespace) || spec.Namespace.Length > 63)
            yield return Error(null, $"namespace '{spec.Namespace}' is not a DNS label.", "Use lower-case letters, digits and '-', starting with a letter, at most 63 characters.");
        if (spec.Pools.Count == 0)
            yield return Error(null, "the topology has no pools.", "Add at least one pool under Topology:Pools.");
        foreach (var pool in spec.Pools)
        {
            if (!Label().IsMatch(pool.Name) || pool.Name.Length > MaxPoolName)
                yield return Error(pool.Name, $"pool name '{pool.Name}' is not a DNS label of at most {MaxPoolName} characters (it names the workload, its Service and its pods).", "Rename the pool: lower-case letters, digits and '-', starting with a letter.");
        }

        foreach (var duplicate in spec.Pools.GroupBy(p => p.Name).Where(g => g.Count() > 1))
            yield return Error(duplicate.Key, $"{duplicate.Count()} pools are named '{duplicate.Key}'.", "Give every pool its own name.");
    }

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();
}
