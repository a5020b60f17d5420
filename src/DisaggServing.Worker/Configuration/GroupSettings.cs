using System.Globalization;

namespace DisaggServing.Worker.Configuration;

/// <summary>
/// This process's place in a LeaderWorkerSet group: the group's size, its worker index (0 = the leader, which serves),
/// where the leader is and the port it takes joins on. Read from what LeaderWorkerSet injects
/// (<c>LWS_GROUP_SIZE</c>, <c>LWS_WORKER_INDEX</c>, <c>LWS_LEADER_ADDRESS</c>) and <c>Worker:MasterPort</c>.
/// </summary>
public sealed record GroupSettings
{
    // The names Topology's WorkerEnvironment writes (and LeaderWorkerSet injects); the Worker references no Topology.
    public const string LeaderAddressVariable = "LWS_LEADER_ADDRESS";
    public const string GroupSizeVariable = "LWS_GROUP_SIZE";
    public const string WorkerIndexVariable = "LWS_WORKER_INDEX";

    /// <summary>How long a rank keeps trying to join its leader (vLLM's workers wait as long for torch.distributed's store).</summary>
    public static readonly TimeSpan DefaultJoinTimeout = TimeSpan.FromMinutes(10);

    public required int Size { get; init; }
    public required int WorkerIndex { get; init; }
    public required string LeaderAddress { get; init; }
    public required int MasterPort { get; init; }
    public TimeSpan JoinTimeout { get; init; } = DefaultJoinTimeout;

    public bool IsLeader => WorkerIndex == 0;

    /// <summary>
    /// The group this process belongs to, or null when it runs alone (no <c>LWS_GROUP_SIZE</c>, or a group of one);
    /// a <see cref="WorkerConfigurationException"/> naming the variable for a group it cannot join.
    /// </summary>
    public static GroupSettings? Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var sizeText = configuration[GroupSizeVariable];
        if (string.IsNullOrWhiteSpace(sizeText)) return null;
        var size = Integer(sizeText, GroupSizeVariable, "a positive number of pods (e.g. 2)");
        if (size < 1) throw Invalid($"{GroupSizeVariable} must be at least 1; got {size}.");
        if (size == 1) return null;

        var indexText = configuration[WorkerIndexVariable];
        if (string.IsNullOrWhiteSpace(indexText))
            throw Invalid($"{WorkerIndexVariable} is missing; a pod of a group of {size} needs its index (0 = leader).");
        var index = Integer(indexText, WorkerIndexVariable, "the pod's index in its group (0 = leader)");
        if (index < 0 || index >= size)
            throw Invalid($"{WorkerIndexVariable} {index} is outside a group of {size} ({GroupSizeVariable}); use 0 to {size - 1}.");

        var leader = configuration[LeaderAddressVariable]?.Trim();
        if (string.IsNullOrEmpty(leader))
            throw Invalid($"{LeaderAddressVariable} is missing; every pod of a group needs the leader's address.");

        var portText = configuration["Worker:MasterPort"];
        if (string.IsNullOrWhiteSpace(portText))
            throw Invalid("Worker:MasterPort is missing; a group's ranks meet on the leader's port (vLLM's --master-port).");
        var port = Integer(portText, "Worker:MasterPort", "a TCP port");
        if (port is < 1 or > 65535) throw Invalid($"Worker:MasterPort must be a TCP port (1-65535); got {port}.");

        var timeout = DefaultJoinTimeout;
        if (configuration["Worker:GroupJoinTimeoutSeconds"] is { Length: > 0 } seconds)
        {
            if (!double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || !(s > 0) || double.IsInfinity(s))
                throw Invalid($"Worker:GroupJoinTimeoutSeconds must be a positive number of seconds; got '{seconds}'.");
            timeout = TimeSpan.FromSeconds(s);
        }

        return new GroupSettings { Size = size, WorkerIndex = index, LeaderAddress = leader, MasterPort = port, JoinTimeout = timeout };
    }

    private static int Integer(string text, string name, string what) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Invalid($"{name} '{text}' is not {what}.");

    private static WorkerConfigurationException Invalid(string message) => new("Invalid worker configuration: " + message);
}
