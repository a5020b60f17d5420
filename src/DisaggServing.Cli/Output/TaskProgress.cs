using Spectre.Console;

namespace DisaggServing.Cli.Output;

/// <summary>
/// Feeds an engine's fraction-done reports straight into a Spectre task. Not <see cref="Progress{T}"/>: that posts
/// to the thread pool, so late reports could land after the bar is gone.
/// </summary>
internal sealed class TaskProgress(ProgressTask task) : IProgress<double>
{
    public void Report(double value) => task.Value = double.IsFinite(value) ? Math.Clamp(value, 0, 1) : 0;
}
