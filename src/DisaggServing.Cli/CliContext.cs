namespace DisaggServing.Cli;

/// <summary>Where a run writes, what it runs against, and whether it may draw a progress bar.</summary>
/// <param name="Stdout">Results: tables or JSON.</param>
/// <param name="Stderr">Errors, notes and the progress bar.</param>
/// <param name="Engine">The engine calls.</param>
/// <param name="ShowProgress">True only when stderr is the process's own, unredirected terminal.</param>
internal sealed record CliContext(TextWriter Stdout, TextWriter Stderr, IEngineRunner Engine, bool ShowProgress)
{
    /// <summary>The real engine; a progress bar only when <paramref name="stderr"/> is the console's and a terminal.</summary>
    public static CliContext For(TextWriter stdout, TextWriter stderr) =>
        new(stdout, stderr, EngineRunner.Instance, ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);
}
