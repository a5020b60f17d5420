using DisaggServing.Engine;

namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>
/// The NodePools' lifetimes, maintenance windows and capacity types are ones Karpenter (and Auto Mode) accept, and do
/// not drain serving GPU nodes by surprise.
/// </summary>
internal sealed class NodePoolDisruptionRule : PreflightRule
{
    private static readonly string[] CapacityTypes = ["on-demand", "reserved", "spot"];

    public override string Id => "nodepool-disruption";

    public override string Description => "NodePool expiry, termination grace, maintenance window and capacity types are valid; Auto Mode's 21-day node lifetime is respected.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        var autoMode = context.Spec.Eks.NodeClassKind == NodeClassKind.AutoMode;
        foreach (var nodePool in context.NodePools)
        {
            var settings = nodePool.Settings;
            var name = nodePool.Name;
            if (!string.IsNullOrWhiteSpace(settings.MaintenanceWindow))
            {
                string? error = null;
                try
                {
                    MaintenanceWindow.Parse(settings.MaintenanceWindow, settings.MaintenanceWindowDuration);
                }
                catch (InputException e)
                {
                    error = e.Message;
                }

                if (error is not null)
                    yield return Error(name, $"NodePool '{name}': {error}", "Fix MaintenanceWindow / MaintenanceWindowDuration, or clear MaintenanceWindow to never drain serving nodes.");
            }

            var expire = settings.ExpireAfter.Trim();
            TimeSpan? lifetime = null;
            if (expire.Length > 0 && expire != "Never" && (lifetime = MaintenanceWindow.ParseDuration(expire)) is null)
                yield return Error(name, $"NodePool '{name}': ExpireAfter '{expire}' is not a duration (720h, 30m) or Never.", "Write ExpireAfter like 480h, or Never.");
            var grace = settings.TerminationGracePeriod.Trim();
            var graceSpan = grace.Length == 0 ? TimeSpan.FromHours(24) : MaintenanceWindow.ParseDuration(grace);
            if (grace.Length > 0 && graceSpan is null)
                yield return Error(name, $"NodePool '{name}': TerminationGracePeriod '{grace}' is not a duration (24h, 90m).", "Write TerminationGracePeriod like 24h, or leave it empty.");

            if (autoMode)
            {
                lifetime ??= expire.Length == 0 ? MaintenanceWindow.ParseDuration(Manifests.NodePoolBuilder.AutoModeExpireAfter) : null;
                if (expire == "Never")
                    yield return Error(name, $"NodePool '{name}': Auto Mode replaces nodes after at most 21 days and rejects expireAfter Never.", "Leave ExpireAfter empty (480h) or set at most 21 days minus TerminationGracePeriod.");
                else if (lifetime is { } life && graceSpan is { } g && life + g > TimeSpan.FromDays(21))
                    yield return Error(name, $"NodePool '{name}': expireAfter {Format(life)} plus terminationGracePeriod {Format(g)} exceeds Auto Mode's 21-day node lifetime; the API server rejects the NodePool.",
                        "Lower ExpireAfter (480h with the default 24h grace period) or TerminationGracePeriod.");
            }
            else if (lifetime is not null)
            {
                yield return Warning(name, $"NodePool '{name}': ExpireAfter {expire} drains serving GPU nodes when they expire, in or out of the maintenance window (Karpenter v1 expiry ignores disruption budgets).",
                    "Leave ExpireAfter empty (Never) and renew nodes by drift in the maintenance window.");
            }

            foreach (var type in settings.CapacityTypes.Where(t => !CapacityTypes.Contains(t, StringComparer.Ordinal)))
                yield return Error(name, $"NodePool '{name}': capacity type '{type}' is not one Karpenter knows.", "Use on-demand, reserved or spot.");
            var eks = context.Spec.Eks;
            if (settings.CapacityTypes.Contains("reserved", StringComparer.Ordinal) && !autoMode && eks.NodeClass.Create
                && eks.NodeClass.CapacityReservationIds.Count == 0 && eks.NodeClass.CapacityReservationTags.Count == 0)
                yield return Error(name, $"NodePool '{name}' asks for reserved capacity, but the EC2NodeClass selects no capacity reservation; no node would launch as reserved.",
                    "List the reservation or Capacity Block ids under Eks:NodeClass:CapacityReservationIds (or tags under CapacityReservationTags).");
        }
    }

    private static string Format(TimeSpan span) => $"{(int)span.TotalHours}h" + (span.Minutes > 0 ? $"{span.Minutes}m" : "");
}
