namespace DisaggServing.Scheduling;

/// <summary>Values of the route header and metric label.</summary>
public static class RouteNames
{
    /// <summary>Prefill on a prefill engine, then decode on a decode engine.</summary>
    public const string Pd = "pd";

    /// <summary>The decode engine prefills locally.</summary>
    public const string DecodeOnly = "decode-only";
}
