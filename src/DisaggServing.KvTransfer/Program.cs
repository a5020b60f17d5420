using DisaggServing.KvTransfer.Hosting;

KvTransferApp.Create(args).Run();

/// <summary>Entry point; internal so that projects referencing this one (tests, benchmarks) keep their own Program.</summary>
internal partial class Program;
