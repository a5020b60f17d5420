namespace DisaggServing.Router.Proxy;

/// <summary>How relaying a decode response ended.</summary>
public enum RelayResult
{
    /// <summary>The whole response reached the client.</summary>
    Completed,

    /// <summary>The client went away (its request was aborted); the engine call was cancelled.</summary>
    ClientGone,

    /// <summary>The engine's stream broke after the response had started.</summary>
    UpstreamBroke,
}
