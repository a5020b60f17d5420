using System.Text.Json;
using DisaggServing.Router.Endpoints;
using DisaggServing.Router.Requests;
using DisaggServing.Scheduling;
using Microsoft.AspNetCore.Http;

namespace DisaggServing.Router.Proxy;

/// <summary>
/// One request's P/D exchange, from schedule to the last byte: the client's request and body, the schedule, the
/// prefill outcome (and whether a decode engine took its KV), the engines that failed it, its timings, and the
/// router's in-flight count on every engine it is using. Disposing it ends all of that in one place: the in-flight
/// counts, the prefill response, and the prefill's lease when no decode engine took it.
/// </summary>
public sealed class PdExchange(
    HttpContext context, ParsedRequest request, JsonElement body, ReadOnlyMemory<byte> rawBody, string requestId, long requestStart,
    SchedulingContext scheduling, AbandonedLeaseReleaser leases) : IDisposable
{
    private readonly List<EngineEndpoint> _engaged = [];
    private readonly HashSet<EngineEndpoint> _failedDecodes = [];
    private PrefillOutcome? _prefill;

    /// <summary>The client's HTTP context.</summary>
    public HttpContext Context { get; } = context;

    /// <summary>The client's request, parsed and validated.</summary>
    public ParsedRequest Request { get; } = request;

    /// <summary>The client's body.</summary>
    public JsonElement Body { get; } = body;

    /// <summary>The client's body, as it came.</summary>
    public ReadOnlyMemory<byte> RawBody { get; } = rawBody;

    /// <summary>The request id (X-Request-Id), the same on every engine call.</summary>
    public string RequestId { get; } = requestId;

    /// <summary>When the router got the request (TimeProvider ticks).</summary>
    public long RequestStart { get; } = requestStart;

    /// <summary>What scheduling knows of the request (prompt, block hashes, prefix matches).</summary>
    public SchedulingContext Scheduling { get; } = scheduling;

    /// <summary>The client went away.</summary>
    public CancellationToken Aborted => Context.RequestAborted;

    /// <summary>The route taken (pd, decode-only, none).</summary>
    public string Route { get; set; } = "none";

    /// <summary>Why.</summary>
    public DecisionReason Reason { get; set; }

    /// <summary>The decode engine now serving (or about to serve) the request.</summary>
    public EngineEndpoint? Decode { get; set; }

    /// <summary>The latest prefill's outcome; setting a new one disposes the previous (releasing its lease unless taken).</summary>
    public PrefillOutcome? Prefill
    {
        get => _prefill;
        set
        {
            if (ReferenceEquals(_prefill, value)) return;
            EndPrefill();
            _prefill = value;
            KvTaken = false;
        }
    }

    /// <summary>The prefill's kv_transfer_params, when a prefill left KV for a decoder.</summary>
    public JsonElement? KvTransferParams => _prefill is { Succeeded: true } p ? p.KvTransferParams : null;

    /// <summary>A decode engine accepted the prefill's KV (answered 2xx): its lease is the engine's business now.</summary>
    public bool KvTaken { get; set; }

    /// <summary>When the decode call that is being relayed was sent (TimeProvider ticks).</summary>
    public long DecodeSentAt { get; set; }

    /// <summary>Times the request moved to another engine after its response had started.</summary>
    public int Migrations { get; set; }

    /// <summary>Decode engines that failed this request (never tried again for it).</summary>
    public IReadOnlySet<EngineEndpoint> FailedDecodes => _failedDecodes;

    /// <summary>Records that <paramref name="endpoint"/> failed this request.</summary>
    public void DecodeFailed(EngineEndpoint endpoint) => _failedDecodes.Add(endpoint);

    /// <summary>Counts the request in flight on <paramref name="endpoint"/> until <see cref="Disengage"/> or the end of the exchange.</summary>
    public void Engage(EngineEndpoint endpoint)
    {
        endpoint.Enter();
        _engaged.Add(endpoint);
    }

    /// <summary>Counts the request out of <paramref name="endpoint"/> (once per <see cref="Engage"/>; no-op otherwise).</summary>
    public void Disengage(EngineEndpoint endpoint)
    {
        if (_engaged.Remove(endpoint)) endpoint.Exit();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var endpoint in _engaged) endpoint.Exit();
        _engaged.Clear();
        EndPrefill();
        _prefill = null;
    }

    private void EndPrefill()
    {
        if (_prefill is null) return;
        if (!KvTaken && KvTransferParams is { } kv) _ = leases.Release(kv);
        _prefill.Dispose();
    }
}
