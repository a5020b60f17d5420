namespace DisaggServing.Engine.Tests.Scheduling;

public enum RecordedKvEventKind
{
    Stored,
    Removed,
    Cleared,
}
