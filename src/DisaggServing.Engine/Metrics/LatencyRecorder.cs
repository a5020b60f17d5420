using HdrHistogram;

namespace DisaggServing.Engine.Metrics;

/// <summary>
/// Records request lifecycles as a simulator reports them (arrival, each output token, finish) and turns them into
/// TTFT, TPOT, ITL and end-to-end summaries and a <see cref="SimulationReport"/>. Per-request state is a few
/// numbers; inter-token gaps go into an HDR histogram at microsecond resolution (3 significant digits), so a run
/// with tens of millions of tokens stays small. Times are seconds on the simulation clock. Not thread-safe.
/// </summary>
public sealed class LatencyRecorder
{
    // Gaps above an hour are clamped: no plausible decode step is that long.
    private const long MaxGapMicroseconds = 3_600_000_000;

    private readonly LongHistogram _itlMicroseconds = new(1, MaxGapMicroseconds, 3);
    private RequestState[] _states;
    private double _itlSumSeconds;
    private double _itlMaxSeconds;

    /// <summary>A recorder sized for about 1,000 requests; it grows as more arrive.</summary>
    public LatencyRecorder()
        : this(1024)
    {
    }

    /// <summary>
    /// A recorder sized for <paramref name="expectedRequests"/> requests (it grows past them): a host that knows its
    /// workload's size saves the copies of growing, and the page faults of the copies' fresh memory.
    /// </summary>
    public LatencyRecorder(int expectedRequests)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedRequests);
        _states = new RequestState[Math.Max(1, expectedRequests)];
    }

    /// <summary>Requests that have arrived.</summary>
    public int Requests { get; private set; }

    /// <summary>Requests that have finished.</summary>
    public int Completed { get; private set; }

    /// <summary>Output tokens emitted by finished requests.</summary>
    public long CompletedOutputTokens { get; private set; }

    /// <summary>Inter-token gaps recorded so far (all requests, finished or not).</summary>
    public long InterTokenGaps => _itlMicroseconds.TotalCount;

    /// <summary>Latest finish time seen, in seconds (0 before any request finishes).</summary>
    public double LastFinishSeconds { get; private set; }

    /// <summary>Records a request arriving at <paramref name="arrivalSeconds"/>.</summary>
    /// <returns>The request's index (0, 1, 2, … in call order) to pass to <see cref="Token"/> and <see cref="Finish"/>.</returns>
    public int Arrive(double arrivalSeconds)
    {
        RequireTime(arrivalSeconds, nameof(arrivalSeconds));
        if (Requests == _states.Length)
        {
            Array.Resize(ref _states, _states.Length * 2);
        }

        _states[Requests] = new RequestState { Arrival = arrivalSeconds };
        return Requests++;
    }

    /// <summary>Records one output token of <paramref name="request"/> emitted at <paramref name="seconds"/>.</summary>
    /// <exception cref="InvalidOperationException">The request has finished, or time went backwards for it.</exception>
    public void Token(int request, double seconds)
    {
        ref var state = ref State(request);
        RequireTime(seconds, nameof(seconds));
        if (state.Finished)
        {
            throw new InvalidOperationException($"Request {request} emitted a token after it finished.");
        }

        var previous = state.Tokens == 0 ? state.Arrival : state.LastToken;
        if (seconds < previous)
        {
            throw new InvalidOperationException(
                $"Request {request} emitted a token at {seconds} s, before its previous event at {previous} s.");
        }

        if (state.Tokens == 0)
        {
            state.FirstToken = seconds;
        }
        else
        {
            RecordGap(seconds - state.LastToken, 1);
        }

        state.LastToken = seconds;
        state.Tokens++;
    }

    /// <summary>
    /// Records one output token of each of <paramref name="requests"/> at <paramref name="seconds"/>: a
    /// <see cref="Token"/> call each, with the requests whose gap is the same as the one before them (decodes that
    /// sampled in the engine's previous step) recorded together.
    /// </summary>
    /// <exception cref="InvalidOperationException">A request has finished, or time went backwards for it.</exception>
    public void Tokens(ReadOnlySpan<int> requests, double seconds)
    {
        RequireTime(seconds, nameof(seconds));
        var runGap = double.NaN;
        var runCount = 0;
        foreach (var request in requests)
        {
            ref var state = ref State(request);
            if (state.Finished)
            {
                throw new InvalidOperationException($"Request {request} emitted a token after it finished.");
            }

            if (state.Tokens == 0)
            {
                if (seconds < state.Arrival)
                {
                    throw new InvalidOperationException(
                        $"Request {request} emitted a token at {seconds} s, before its previous event at {state.Arrival} s.");
                }

                state.FirstToken = seconds;
            }
            else
            {
                if (seconds < state.LastToken)
                {
                    throw new InvalidOperationException(
                        $"Request {request} emitted a token at {seconds} s, before its previous event at {state.LastToken} s.");
                }

                var gap = seconds - state.LastToken;
                if (gap == runGap)
                {
                    runCount++;
                }
                else
                {
                    if (runCount > 0)
                    {
                        RecordGap(runGap, runCount);
                    }

                    (runGap, runCount) = (gap, 1);
                }
            }

            state.LastToken = seconds;
            state.Tokens++;
        }

        if (runCount > 0)
        {
            RecordGap(runGap, runCount);
        }
    }

    /// <summary>
    /// Records one output token of each of <paramref name="requests"/> (each with a token already) at every time of
    /// <paramref name="times"/>, ascending: what a <see cref="Token"/> call per request and time records, with each
    /// step's gap, the same for all of them, recorded once with their count.
    /// </summary>
    /// <exception cref="InvalidOperationException">A request has finished or has no token yet, or time went backwards for it.</exception>
    public void Tokens(ReadOnlySpan<int> requests, ReadOnlySpan<double> times)
    {
        if (times.IsEmpty || requests.IsEmpty)
        {
            return;
        }

        RequireTime(times[0], nameof(times));
        var last = times[^1];
        foreach (var request in requests)
        {
            ref var state = ref State(request);
            if (state.Finished || state.Tokens == 0)
            {
                throw new InvalidOperationException($"Request {request} is not decoding: it has finished or has no first token.");
            }

            if (times[0] < state.LastToken)
            {
                throw new InvalidOperationException(
                    $"Request {request} emitted a token at {times[0]} s, before its previous event at {state.LastToken} s.");
            }

            RecordGap(times[0] - state.LastToken, 1);
            state.LastToken = last;
            state.Tokens += times.Length;
        }

        for (var j = 1; j < times.Length; j++)
        {
            if (!(times[j] >= times[j - 1]) || double.IsInfinity(times[j]))
            {
                throw new ArgumentOutOfRangeException(nameof(times), times[j], "Times are finite and ascending.");
            }

            RecordGap(times[j] - times[j - 1], requests.Length);
        }
    }

    /// <summary>
    /// Records <paramref name="count"/> inter-token gaps of <paramref name="gapSeconds"/> each, for tokens whose
    /// requests <see cref="DecodedTokens"/> brings up to date later (a scheduler's decode cohort).
    /// </summary>
    internal void Gaps(double gapSeconds, int count)
    {
        RequireTime(gapSeconds, nameof(gapSeconds));
        RecordGap(gapSeconds, count);
    }

    /// <summary>
    /// Records <paramref name="tokens"/> more output tokens of <paramref name="request"/> (which has one already), the
    /// last at <paramref name="lastSeconds"/>, without their gaps: <see cref="Gaps"/> recorded those.
    /// </summary>
    /// <exception cref="InvalidOperationException">The request has finished or has no token yet, or time went backwards for it.</exception>
    internal void DecodedTokens(int request, int tokens, double lastSeconds)
    {
        ref var state = ref State(request);
        RequireTime(lastSeconds, nameof(lastSeconds));
        if (state.Finished || state.Tokens == 0)
        {
            throw new InvalidOperationException($"Request {request} is not decoding: it has finished or has no first token.");
        }

        if (lastSeconds < state.LastToken)
        {
            throw new InvalidOperationException(
                $"Request {request} emitted a token at {lastSeconds} s, before its previous event at {state.LastToken} s.");
        }

        state.LastToken = lastSeconds;
        state.Tokens += tokens;
    }

    /// <summary>Records <paramref name="request"/> finishing at <paramref name="seconds"/> (normally its last token's time).</summary>
    /// <exception cref="InvalidOperationException">The request emitted no token, already finished, or finishes before its last token.</exception>
    public void Finish(int request, double seconds)
    {
        ref var state = ref State(request);
        RequireTime(seconds, nameof(seconds));
        if (state.Finished)
        {
            throw new InvalidOperationException($"Request {request} finished twice.");
        }

        if (state.Tokens == 0)
        {
            throw new InvalidOperationException($"Request {request} finished without emitting a token; record at least one with Token.");
        }

        if (seconds < state.LastToken)
        {
            throw new InvalidOperationException($"Request {request} finished at {seconds} s, before its last token at {state.LastToken} s.");
        }

        state.Finish = seconds;
        state.Finished = true;
        Completed++;
        CompletedOutputTokens += state.Tokens;
        LastFinishSeconds = Math.Max(LastFinishSeconds, seconds);
    }

    /// <summary>When <paramref name="request"/> arrived, in seconds.</summary>
    public double ArrivalOf(int request) => State(request).Arrival;

    /// <summary>The latencies of every finished request, in arrival-index order.</summary>
    public RequestLatency[] GetCompleted()
    {
        var completed = new RequestLatency[Completed];
        var next = 0;
        for (var i = 0; i < Requests; i++)
        {
            if (_states[i].Finished)
            {
                completed[next++] = Latency(i);
            }
        }

        return completed;
    }

    // The latencies of finished request i.
    private RequestLatency Latency(int i)
    {
        ref readonly var s = ref _states[i];
        var ttft = s.FirstToken - s.Arrival;
        var e2e = s.Finish - s.Arrival;
        double? tpot = s.Tokens > 1 ? (e2e - ttft) / (s.Tokens - 1) : null;
        return new RequestLatency(i, s.Arrival, ttft, tpot, e2e, s.Tokens);
    }

    /// <summary>
    /// Inter-token latency over every gap recorded, in ms. Count, mean and max are exact; percentiles come from the
    /// histogram (within 0.1% of the true value, at 1 µs resolution).
    /// </summary>
    public LatencySummary InterTokenLatency()
    {
        var count = _itlMicroseconds.TotalCount;
        if (count == 0)
        {
            return LatencySummary.Empty;
        }

        double At(double percentile) => _itlMicroseconds.GetValueAtPercentile(percentile) / 1000.0;
        var max = _itlMaxSeconds * 1000.0;
        return new LatencySummary(
            count,
            _itlSumSeconds * 1000.0 / count,
            Math.Min(At(50), max),
            Math.Min(At(90), max),
            Math.Min(At(95), max),
            Math.Min(At(99), max),
            max);
    }

    /// <summary>
    /// Builds the report. Attainment is over every arrived request (unfinished ones miss the SLO); rates divide by
    /// <paramref name="simulatedSeconds"/> and are 0 when it is 0.
    /// </summary>
    /// <param name="slo">The objective for attainment and goodput.</param>
    /// <param name="simulatedSeconds">Length of the run on the simulation clock.</param>
    /// <param name="wallSeconds">Real time the simulation took.</param>
    public SimulationReport BuildReport(SloSpec slo, double simulatedSeconds, double wallSeconds)
    {
        ArgumentNullException.ThrowIfNull(slo);
        RequireTime(simulatedSeconds, nameof(simulatedSeconds));
        RequireTime(wallSeconds, nameof(wallSeconds));

        // One pass over the finished requests, no LINQ nor array of their latencies: the summaries' inputs in
        // milliseconds, each latency computed as GetCompleted computes it.
        var met = 0;
        var ttft = new double[Completed];
        var e2e = new double[Completed];
        var tpot = new double[Completed];
        var next = 0;
        var tpots = 0;
        for (var i = 0; i < Requests; i++)
        {
            if (!_states[i].Finished)
            {
                continue;
            }

            var r = Latency(i);
            if (r.Meets(slo))
            {
                met++;
            }

            ttft[next] = r.TtftSeconds * 1000.0;
            e2e[next++] = r.E2eSeconds * 1000.0;
            if (r.TpotSeconds is { } seconds)
            {
                tpot[tpots++] = seconds * 1000.0;
            }
        }

        Array.Resize(ref tpot, tpots);
        double PerSecond(double amount) => simulatedSeconds > 0 ? amount / simulatedSeconds : 0;

        return new SimulationReport
        {
            Requests = Requests,
            Completed = Completed,
            TtftMs = LatencySummary.FromUnsorted(ttft),
            TpotMs = LatencySummary.FromUnsorted(tpot),
            ItlMs = InterTokenLatency(),
            E2eMs = LatencySummary.FromUnsorted(e2e),
            Slo = slo,
            SloAttainment = Requests == 0 ? 0 : (double)met / Requests,
            GoodputRps = PerSecond(met),
            OutputTokensPerSecond = PerSecond(CompletedOutputTokens),
            RequestsPerSecond = PerSecond(Completed),
            SimulatedSeconds = simulatedSeconds,
            WallSeconds = wallSeconds,
        };
    }

    private void RecordGap(double gap, int count)
    {
        _itlSumSeconds += gap * count;
        _itlMaxSeconds = Math.Max(_itlMaxSeconds, gap);
        _itlMicroseconds.RecordValueWithCount(Math.Min(MaxGapMicroseconds, (long)Math.Round(gap * 1e6)), count);
    }

    private static void RequireTime(double seconds, string name)
    {
        if (!(seconds >= 0) || double.IsInfinity(seconds))
        {
            throw new ArgumentOutOfRangeException(name, seconds, "Times are finite, non-negative seconds.");
        }
    }

    private ref RequestState State(int request)
    {
        if ((uint)request >= (uint)Requests)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request, "Not an index returned by Arrive.");
        }

        return ref _states[request];
    }

    private struct RequestState
    {
        public double Arrival;
        public double FirstToken;
        public double LastToken;
        public double Finish;
        public int Tokens;
        public bool Finished;
    }
}
