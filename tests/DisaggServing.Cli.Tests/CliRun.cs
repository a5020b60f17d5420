namespace DisaggServing.Cli.Tests;

/// <summary>What one in-process <c>disagg</c> run returned and printed.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Runs <c>disagg</c> against <paramref name="engine"/> (the real engine when null), capturing output.</summary>
    internal static CliRun Of(IEngineRunner? engine, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = engine is null
            ? CliApp.Run(args, stdout, stderr)
            : CliApp.Run(args, new CliContext(stdout, stderr, engine, ShowProgress: false));
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Splits a command line on spaces (no quoting needed by these tests).</summary>
    internal static string[] Args(string commandLine) => commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Asserts that stderr ends in one <c>error:</c> line, the only one: notes on what the run assumed may come first.
    /// </summary>
    internal void AssertOneErrorLineLast()
    {
        var lines = Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Single(lines, line => line.StartsWith("error: ", StringComparison.Ordinal));
        Assert.StartsWith("error: ", lines[^1], StringComparison.Ordinal);
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
