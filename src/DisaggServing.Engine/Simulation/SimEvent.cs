namespace DisaggServing.Engine.Simulation;

/// <summary>What happens at a point of simulated time.</summary>
internal enum SimEventKind
{
    /// <summary>A workload request reaches the router.</summary>
    Arrival,

    /// <summary>An engine finishes its step.</summary>
    StepDone,

    /// <summary>A request's KV has landed on its decode engine.</summary>
    TransferDone,

    /// <summary>An idle prefill engine's earliest lease expires: its blocks come free for the requests it holds back.</summary>
    LeaseExpiry,

    /// <summary>A request leaves the server's front end for the router (<see cref="ClusterRun"/>'s front end).</summary>
    FrontEndDone,
}

/// <summary>
/// An event: its kind, the engine it concerns and the request it concerns (−1 where none; for
/// <see cref="SimEventKind.StepDone"/>, the engine's step stamp, which tells a superseded step from the live one).
/// </summary>
internal readonly record struct SimEvent(SimEventKind Kind, int Engine, int Request);
