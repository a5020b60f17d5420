namespace DisaggServing.Worker.Connector;

/// <summary>
/// Where remote decoders reach this engine's KV side channel: what a prefill puts in its kv_transfer_params
/// (remote_host, remote_port). Known only once the server has bound its ports, so read it when needed.
/// </summary>
public interface IKvSideChannelAddress
{
    /// <summary>The host other processes reach this worker at.</summary>
    string AdvertisedHost { get; }

    /// <summary>The bound KV side-channel port.</summary>
    int KvPort { get; }
}
