using System.CommandLine;
using DisaggServing.Cli.Output;
using DisaggServing.Engine.Calibration;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// <c>disagg calibrate</c>: every public figure of the calibration set against the estimate that reproduces it.
/// Exits 1 when a checked figure is off by more than the tolerance.
/// </summary>
internal sealed class CalibrateCommand : Command
{
    private readonly CliContext context;
    private readonly Option<bool> markdown = CliOptions.Flag("--markdown", "Print a Markdown table (docs/calibration.md is made with it).");
    private readonly Option<bool> json = CliOptions.Flag("--json", "Print the rows as JSON.");

    public CalibrateCommand(CliContext context)
        : base("calibrate", "Compare the performance model with the published benchmark figures it is calibrated against.")
    {
        this.context = context;
        Add(markdown);
        Add(json);
        SetAction(Execute);
    }

    private int Execute(ParseResult parse)
    {
        var rows = ProgressDisplay.Run(context, "calibrating", progress => CalibrationRunner.Run(progress));
        if (parse.GetValue(json)) context.Stdout.WriteLine(JsonOutput.Serialize(CalibrationTable.ToJson(rows)));
        else if (parse.GetValue(markdown)) CalibrationTable.WriteMarkdown(context.Stdout, rows);
        else CalibrationTable.Write(context.Stdout, rows);
        return rows.All(r => !r.Point.Checked || Math.Abs(r.Error) <= CalibrationRunner.Tolerance) ? ExitCodes.Ok : 1;
    }
}
