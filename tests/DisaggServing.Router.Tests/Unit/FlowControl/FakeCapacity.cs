using DisaggServing.Router.FlowControl;

namespace DisaggServing.Router.Tests.Unit.FlowControl;

/// <summary>Engine room the test sets by hand.</summary>
public sealed class FakeCapacity : IDispatchCapacity
{
    public int Limit { get; set; } = 1;
    public int Engines { get; set; } = 1;
    public bool Saturated { get; set; }

    public DispatchCapacity Read() => new(Limit, Engines, Saturated);
}
