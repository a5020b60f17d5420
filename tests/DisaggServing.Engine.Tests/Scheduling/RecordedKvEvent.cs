namespace DisaggServing.Engine.Tests.Scheduling;

public sealed record RecordedKvEvent(RecordedKvEventKind Kind, ulong[] Hashes, ulong? Parent, int BlockSize);
