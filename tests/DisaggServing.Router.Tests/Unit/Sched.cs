using DisaggServing.Router.Endpoints;
using DisaggServing.Scheduling;

namespace DisaggServing.Router.Tests.Unit;

/// <summary>Scheduling test helpers.</summary>
internal static class Sched
{
    public static EngineEndpoint Endpoint(int port, string? id = null) => new($"http://127.0.0.1:{port}", id);

    public static SchedulingContext Context(int promptTokens, int blockSize = 16) =>
        new("r", Prompt.FromTokens(Enumerable.Range(0, promptTokens).ToArray()), blockSize);
}
