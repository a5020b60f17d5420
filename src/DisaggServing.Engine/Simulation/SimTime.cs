namespace DisaggServing.Engine.Simulation;

/// <summary>Event order: by time, then by insertion, so equal-time events replay deterministically.</summary>
internal readonly record struct SimTime(double Seconds, long Sequence) : IComparable<SimTime>
{
    public int CompareTo(SimTime other)
    {
        var byTime = Seconds.CompareTo(other.Seconds);
        return byTime != 0 ? byTime : Sequence.CompareTo(other.Sequence);
    }
}
