using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Simulation;

/// <summary>
/// The server in front of a served TensorRT engine (NIM's): one thread takes each request for a fixed time
/// (<see cref="EngineProfile.TensorRtEngineServerSeconds"/>) before the router and engine see it, in the order they
/// were sent, so requests sent together reach the engine that far apart. A request is recorded as arriving when it was
/// sent, since a client's TTFT clock starts there.
/// </summary>
internal sealed partial class ClusterRun
{
    private readonly double _frontEndSeconds;
    private double _frontEndFree;
    private double[]? _sentAt;

    private static double FrontEndSeconds(EngineSpec front) =>
        front.TensorRtEngine && front.StreamsTokens ? front.Engine.TensorRtEngineServerSeconds : 0;

    // True when the request goes on to the router now: no front end, or it has passed it.
    private bool PassFrontEnd(int request)
    {
        if (_frontEndSeconds <= 0) return true;
        _sentAt ??= new double[_workload.Count];
        _sentAt[request] = Now;
        _frontEndFree = Math.Max(Now, _frontEndFree) + _frontEndSeconds;
        Push(_frontEndFree, new SimEvent(SimEventKind.FrontEndDone, -1, request));
        return false;
    }

    // When the request left its client: before the front end where there is one.
    private double SentAt(int request) => _sentAt is null ? Now : _sentAt[request];
}
