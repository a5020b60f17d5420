using System.Globalization;

namespace DisaggServing.Benchmarks.Serving;

/// <summary><c>--name value</c> and <c>--flag</c> options of the serving benchmarks; unknown options are an error.</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string?> values = [];
    private readonly HashSet<string> read = [];

    public BenchArgs(IEnumerable<string> args)
    {
        string? pending = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (pending is not null)
                    values[pending] = null;
                pending = arg[2..];
            }
            else if (pending is not null)
            {
                values[pending] = arg;
                pending = null;
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{arg}'.");
            }
        }
        if (pending is not null)
            values[pending] = null;
    }

    public double Double(string name, double fallback, double min = double.Epsilon)
    {
        read.Add(name);
        if (!values.TryGetValue(name, out var text))
            return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new ArgumentException($"--{name} needs a number ≥ {min}; got '{text}'.");
    }

    public int Int(string name, int fallback, int min = 1) => (int)Double(name, fallback, min);

    public bool Flag(string name)
    {
        read.Add(name);
        return values.ContainsKey(name);
    }

    public string? String(string name)
    {
        read.Add(name);
        return values.TryGetValue(name, out var text) ? text ?? throw new ArgumentException($"--{name} needs a value.") : null;
    }

    /// <summary>Call after reading every option: names any the benchmark does not know.</summary>
    public void RejectUnknown()
    {
        var unknown = values.Keys.Where(k => !read.Contains(k)).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}.");
    }
}
