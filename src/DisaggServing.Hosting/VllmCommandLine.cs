using System.Text;

namespace Aspire.Hosting;

/// <summary>
/// <c>Topology:Local:VllmCommand</c> split into the program and its leading arguments (<c>uv run vllm</c> → <c>uv</c>,
/// <c>run vllm</c>), with double or single quotes around words that hold spaces; and where the program is.
/// </summary>
internal sealed record VllmCommandLine(string Program, IReadOnlyList<string> LeadingArgs)
{
    private const string Key = "Topology:Local:VllmCommand";

    public static VllmCommandLine Parse(string? text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char? quote = null;
        var inWord = false;
        foreach (var c in text ?? "")
        {
            if (quote is { } q)
            {
                if (c == q) quote = null;
                else word.Append(c);
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (quote is not null) throw new DistributedApplicationException($"{Key} '{text}' has an unclosed quote.");
        if (inWord) words.Add(word.ToString());
        if (words.Count == 0) throw new DistributedApplicationException($"{Key} is empty; give the vLLM command, e.g. 'vllm' or 'uv run vllm'.");
        return new VllmCommandLine(words[0], words[1..]);
    }

    /// <summary>The program's full path: as given when it holds a directory, else the first match on PATH; null when there is none.</summary>
    public string? Locate()
    {
        if (Program.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || Program.Contains(Path.AltDirectorySeparatorChar, StringComparison.Ordinal))
            return File.Exists(Program) ? Path.GetFullPath(Program) : null;
        var extensions = OperatingSystem.IsWindows() ? (Environment.GetEnvironmentVariable("PATHEXT") ?? ".EXE").Split(';').Prepend("") : [""];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var extension in extensions)
            {
                var candidate = Path.Combine(dir, Program + extension);
                if (File.Exists(candidate)) return candidate;
            }

        return null;
    }

    /// <summary>Fails the AppHost when the program cannot be found.</summary>
    public string Require() =>
        Locate() ?? throw new DistributedApplicationException(
            $"{Key} '{Program}' was not found{(Program.Contains('/', StringComparison.Ordinal) ? "" : " on PATH")}; install vLLM (e.g. pip install vllm) or set {Key} to its path or launcher, e.g. /opt/venv/bin/vllm or 'uv run vllm'.");
}
