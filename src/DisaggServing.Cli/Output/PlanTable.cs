using DisaggServing.Engine.Planning;
using Spectre.Console;

namespace DisaggServing.Cli.Output;

/// <summary>The plan's candidates, cheapest first, the best marked, then the search's own figures.</summary>
internal static class PlanTable
{
    public static readonly string[] Headers = ["", "configuration", "GPUs", "nodes", "$/hour", "goodput (req/s)", "SLO attainment", "meets", "$/M output tokens"];

    public static void Write(TextWriter writer, PlanResult result, string title)
    {
        var console = ConsoleFactory.For(writer);
        console.WriteLine(title);
        var table = new Table();
        for (var i = 0; i < Headers.Length; i++) table.AddColumn(i < 2 ? new TableColumn(Headers[i]) : new TableColumn(Headers[i]).RightAligned());
        foreach (var row in Rows(result)) table.AddRow(row.Select(Cells.Text).ToArray());
        console.Write(table);
        console.WriteLine(result.Best is { } best
            ? $"best: {best.Describe()} on {best.Nodes}× {best.InstanceType}, {Cells.Format(best.UsdPerHour, "F2")} $/hour"
            : "best: none of the candidates meets the SLO at this rate within --max-gpus; raise --max-gpus or relax the SLO.");
        console.WriteLine($"searched: {result.ConfigurationsSimulated} configurations, {Cells.Format(result.SimulatedRequests)} simulated requests in {Cells.Format(result.WallSeconds, "F1")} s");
    }

    public static IEnumerable<string[]> Rows(PlanResult result) => result.Candidates.Select(c => new[]
    {
        ReferenceEquals(c, result.Best) ? "*" : "",
        c.Describe(),
        c.Gpus.ToString(System.Globalization.CultureInfo.InvariantCulture),
        c.Nodes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Cells.Format(c.UsdPerHour, "F2"),
        Cells.Format(c.GoodputRps, "F2"),
        Cells.Format(c.SloAttainment, "P1"),
        c.Meets ? "yes" : "no",
        Cells.Format(c.UsdPerMillionOutputTokens, "F2"),
    });
}
