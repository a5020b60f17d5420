using DisaggServing.Scheduling;

namespace DisaggServing.Router.Endpoints;

/// <summary>
/// One engine (prefill, decode or both) as the router sees it: its address, its engine id once known, its load,
/// health and the router's own in-flight count. Shared by every request; all state changes are atomic.
/// </summary>
public sealed class EngineEndpoint : ISchedulingCandidate
{
    private const long NoError = long.MinValue;
    private int _inFlight;
    private int _health;
    private int _unansweredProbes;
    private long _lastErrorTimestamp = NoError;
    private EndpointLoad _load = EndpointLoad.None;
    private string? _engineId;
    private string? _revision;

    /// <summary>An endpoint at <paramref name="address"/> (a base URL such as <c>http://127.0.0.1:5101</c>).</summary>
    public EngineEndpoint(string address, string? engineId = null)
    {
        Address = NormalizeAddress(address);
        var baseUri = new Uri(Address + "/");
        Completions = new Uri(baseUri, "v1/completions");
        ChatCompletions = new Uri(baseUri, "v1/chat/completions");
        Models = new Uri(baseUri, "v1/models");
        HealthUri = new Uri(baseUri, "health");
        Metrics = new Uri(baseUri, "metrics");
        Authority = baseUri.Authority;
        _engineId = string.IsNullOrEmpty(engineId) ? null : engineId;
    }

    /// <summary>Normalized base URL (lower-case scheme and host, no trailing slash).</summary>
    public string Address { get; }

    /// <summary>
    /// The address's host:port (<c>127.0.0.1:8101</c>): how engines that never register — real vLLM, whose KV events the
    /// KV-transfer service indexes under this authority — are known to the KV index.
    /// </summary>
    public string Authority { get; }

    /// <summary><c>/v1/completions</c> of this engine.</summary>
    public Uri Completions { get; }

    /// <summary><c>/v1/chat/completions</c> of this engine.</summary>
    public Uri ChatCompletions { get; }

    /// <summary><c>/v1/models</c> of this engine.</summary>
    public Uri Models { get; }

    /// <summary><c>/health</c> of this engine.</summary>
    public Uri HealthUri { get; }

    /// <summary><c>/metrics</c> of this engine.</summary>
    public Uri Metrics { get; }

    /// <summary>The engine id (registry or the engine's own kv_transfer_params), when known; keys the KV index.</summary>
    public string? EngineId
    {
        get => Volatile.Read(ref _engineId);
        set => Volatile.Write(ref _engineId, string.IsNullOrEmpty(value) ? null : value);
    }

    /// <summary>
    /// The DisaggregatedSet revision the engine's pod belongs to, when the router routes by revision (null: unknown);
    /// a prefill and a decode engine are paired only within one revision.
    /// </summary>
    public string? Revision
    {
        get => Volatile.Read(ref _revision);
        set => Volatile.Write(ref _revision, string.IsNullOrEmpty(value) ? null : value);
    }

    /// <summary>What the router calls this engine in headers and spans: its id, else its address.</summary>
    public string Name => EngineId ?? Address;

    /// <summary>Latest load report.</summary>
    public EndpointLoad Load
    {
        get => Volatile.Read(ref _load);
        set => Volatile.Write(ref _load, value ?? EndpointLoad.None);
    }

    /// <inheritdoc />
    CandidateLoad ISchedulingCandidate.Load
    {
        get
        {
            var load = Load;
            return new CandidateLoad(load.Waiting, load.Running, load.KvUsage);
        }
    }

    /// <summary>Requests the router has in flight on this engine.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Result of the latest health probe.</summary>
    public EndpointHealth Health
    {
        get => (EndpointHealth)Volatile.Read(ref _health);
        set => Volatile.Write(ref _health, (int)value);
    }

    /// <summary>
    /// Records one health probe: an answer sets <see cref="Health"/> at once; an unanswered probe marks the engine
    /// unhealthy only when it is the <paramref name="threshold"/>-th in a row.
    /// </summary>
    public void RecordProbe(EndpointHealth? answer, int threshold)
    {
        if (answer is { } health)
        {
            Volatile.Write(ref _unansweredProbes, 0);
            Health = health;
        }
        else if (Interlocked.Increment(ref _unansweredProbes) >= Math.Max(1, threshold))
        {
            Health = EndpointHealth.Unhealthy;
        }
    }

    /// <summary>Counts a request in.</summary>
    public void Enter() => Interlocked.Increment(ref _inFlight);

    /// <summary>Counts a request out.</summary>
    public void Exit() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Records a failed call (connect error, timeout, 5xx) at <paramref name="timestamp"/> (TimeProvider ticks).</summary>
    public void MarkError(long timestamp) => Volatile.Write(ref _lastErrorTimestamp, timestamp);

    /// <summary>Clears the error mark (a later call or probe succeeded).</summary>
    public void ClearError() => Volatile.Write(ref _lastErrorTimestamp, NoError);

    /// <summary>Whether a call failed within <paramref name="cooldown"/> before <paramref name="now"/>.</summary>
    public bool ErroredRecently(long now, TimeProvider time, TimeSpan cooldown)
    {
        var last = Volatile.Read(ref _lastErrorTimestamp);
        return last != NoError && time.GetElapsedTime(last, now) < cooldown;
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>The normalized form of a base URL.</summary>
    public static string NormalizeAddress(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        if (!Uri.TryCreate(address.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"'{address}' is not an http(s) base URL such as http://127.0.0.1:5101.", nameof(address));
        // Workers register 127.0.0.1 while Aspire hands the router localhost URLs: one engine, one address.
        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            uri = new UriBuilder(uri) { Host = "127.0.0.1" }.Uri;
        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }
}
