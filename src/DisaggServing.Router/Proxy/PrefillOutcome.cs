using System.Text.Json;
using DisaggServing.Router.Endpoints;

namespace DisaggServing.Router.Proxy;

/// <summary>How a prefill call ended: with kv_transfer_params, with a client error to pass on, or failed (retry or fall back).</summary>
public sealed class PrefillOutcome : IDisposable
{
    private readonly JsonDocument? _response;

    private PrefillOutcome(EngineEndpoint endpoint, JsonDocument? response, int clientErrorStatus, byte[]? clientErrorBody, FailureKind? failure)
    {
        Endpoint = endpoint;
        _response = response;
        ClientErrorStatus = clientErrorStatus;
        ClientErrorBody = clientErrorBody;
        Failure = failure;
    }

    /// <summary>The prefill engine called.</summary>
    public EngineEndpoint Endpoint { get; }

    /// <summary>Whether the prefill left its KV for a decoder.</summary>
    public bool Succeeded => _response is not null;

    /// <summary>The response's kv_transfer_params, verbatim (valid while this outcome is not disposed).</summary>
    public JsonElement KvTransferParams => _response!.RootElement.GetProperty(Protocol.Vllm.PdRequestTransforms.KvTransferParamsField);

    /// <summary>A 4xx the engine gave for the body itself (the decode engine would give it too): passed to the client.</summary>
    public int ClientErrorStatus { get; }

    /// <summary>The body of that 4xx.</summary>
    public byte[]? ClientErrorBody { get; }

    /// <summary>Why the call failed, when it did.</summary>
    public FailureKind? Failure { get; }

    /// <summary>When the prefill response was complete (TimeProvider ticks).</summary>
    public long CompletedTimestamp { get; init; }

    /// <summary>Success with the parsed prefill response.</summary>
    public static PrefillOutcome Success(EngineEndpoint endpoint, JsonDocument response, long completed) =>
        new(endpoint, response, 0, null, null) { CompletedTimestamp = completed };

    /// <summary>A client error to pass on.</summary>
    public static PrefillOutcome ClientError(EngineEndpoint endpoint, int status, byte[] body) => new(endpoint, null, status, body, null);

    /// <summary>A failure of kind <paramref name="failure"/>.</summary>
    public static PrefillOutcome Failed(EngineEndpoint endpoint, FailureKind failure) => new(endpoint, null, 0, null, failure);

    /// <inheritdoc />
    public void Dispose() => _response?.Dispose();
}
