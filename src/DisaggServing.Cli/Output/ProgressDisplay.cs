using Spectre.Console;

namespace DisaggServing.Cli.Output;

/// <summary>Runs engine work under a progress bar on stderr when stderr is a terminal; otherwise runs it bare.</summary>
internal static class ProgressDisplay
{
    public static T Run<T>(CliContext context, string label, Func<IProgress<double>?, T> work)
    {
        if (!context.ShowProgress)
        {
            return work(null);
        }

        // stderr, never stdout: the JSON or table on stdout stays clean when piped.
        return ConsoleFactory.For(context.Stderr).Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                var task = progress.AddTask(label, autoStart: true, maxValue: 1);
                var result = work(new TaskProgress(task));
                task.Value = 1;
                return result;
            });
    }
}
