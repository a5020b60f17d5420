using DisaggServing.Engine;
using System.Text;
using DisaggServing.Bench;

namespace DisaggServing.Cli.Bench;

/// <summary>What <c>--plot FILE</c> writes, chosen by the file's extension.</summary>
internal enum BenchPlotFormat
{
    /// <summary>Both charts stacked in one image.</summary>
    Png,

    /// <summary>One self-contained page: the report's tables and both charts as inline SVG.</summary>
    Html,
}

/// <summary>
/// The <c>--plot</c> target, validated when the command line is parsed (a typo must not cost a whole run), and
/// written atomically after the run.
/// </summary>
internal sealed record BenchPlotFile(string Path, BenchPlotFormat Format)
{
    public const string Option = "--plot";

    /// <summary>Checks the extension (.png or .html, any case) and that the directory exists.</summary>
    /// <exception cref="InputException">Any other extension, a missing directory, or a path that is a directory.</exception>
    public static BenchPlotFile Parse(string path)
    {
        var extension = System.IO.Path.GetExtension(path);
        var format = extension.ToLowerInvariant() switch
        {
            ".png" => BenchPlotFormat.Png,
            ".html" => BenchPlotFormat.Html,
            _ => throw new InputException(
                $"{Option} {path}: {(extension.Length == 0 ? "no extension" : $"unknown extension '{extension}'")}; " +
                "use FILE.png (an image) or FILE.html (a self-contained page with the charts and the report's tables)."),
        };

        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new InputException($"{Option} {path} is a directory; give a file name ending in .png or .html.");

        var directory = System.IO.Path.GetDirectoryName(full);
        if (directory is not null && !Directory.Exists(directory))
            throw new InputException($"{Option} {path}: the directory {directory} does not exist.");
        return new BenchPlotFile(path, format);
    }

    /// <summary>Renders the charts for this run and replaces the file with them in one step.</summary>
    /// <exception cref="InputException">The file cannot be written (permissions, a full disk).</exception>
    public void Write(BenchReport report, IReadOnlyList<BenchOutcome> outcomes)
    {
        var data = BenchPlotData.From(report, outcomes);
        var bytes = Format switch
        {
            BenchPlotFormat.Png => BenchPlotRenderer.Png(data),
            _ => Encoding.UTF8.GetBytes(BenchPlotHtml.Render(report, data, BenchPlotRenderer.CdfSvg(data), BenchPlotRenderer.TimelineSvg(data))),
        };
        WriteAtomically(bytes);
    }

    /// <summary>
    /// Writes a temporary file beside the target and moves it over the target, so a crash or a full disk leaves the
    /// previous file (or none), never half a file. Same directory, so the move is a rename on one file system.
    /// </summary>
    private void WriteAtomically(byte[] bytes)
    {
        var full = System.IO.Path.GetFullPath(Path);
        var temporary = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full)!,
            $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new InputException($"{Option} {Path}: cannot write the file: {e.Message}");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write already failed and says why; a leftover temporary file is the lesser problem.
        }
    }
}
