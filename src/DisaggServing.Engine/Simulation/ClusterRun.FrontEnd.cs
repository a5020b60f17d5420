using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Simulation;

/// <summary>
/// The server in front of a served engine: one thread takes each request in turn before the router and engine see it,
/// in the order they were sent, for a fixed time where the server is NIM's in front of a TensorRT engine
/// (<see cref="EngineProfile.TensorRtEngineServerSeconds"/>) plus the tokenizing of its prompt's text
/// (<see cref="EngineSpec.ServerPromptTokenSeconds"/>: vLLM's and SGLang's API servers, trtllm-serve and NIM tokenize in
/// the one process that takes the requests), so requests sent together reach the engine that far apart: a closed loop's
/// first wave, or a wave of clients whose requests ended together. A request is recorded as arriving when it was sent,
/// since a client's TTFT clock starts there. Runs that do not stream (trtllm-bench, an offline vLLM) have no such server.
/// </summary>
internal sealed partial class ClusterRun
{
    private readonly double _frontEndSeconds, _frontEndTokenSeconds;
    private double _frontEndFree;
    private double[]? _sentAt;

    private static (double Fixed, double PerPromptToken) FrontEndSeconds(EngineSpec front) => !front.StreamsTokens ? (0, 0)
        : (front.TensorRtEngine ? front.Engine.TensorRtEngineServerSeconds : 0, front.ServerPromptTokenSeconds);

    // True when the request goes on to the router now: no front end, or it has passed it.
    private bool PassFrontEnd(int request)
    {
        if (_frontEndSeconds <= 0 && _frontEndTokenSeconds <= 0) return true;
        _sentAt ??= new double[_workload.Count];
        _sentAt[request] = Now;
        _frontEndFree = Math.Max(Now, _frontEndFree) + _frontEndSeconds + _frontEndTokenSeconds * _workload[request].InputTokens;
        Push(_frontEndFree, new SimEvent(SimEventKind.FrontEndDone, -1, request));
        return false;
    }

    // When the request left its client: before the front end where there is one.
    private double SentAt(int request) => _sentAt is null ? Now : _sentAt[request];
}
