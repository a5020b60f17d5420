using System.Text.Json;

namespace DisaggServing.Engine.Workloads;

/// <summary>
/// Reads request traces in JSONL: one object per line with <c>arrival_s</c> (seconds from the start, at least 0),
/// <c>input_tokens</c> and <c>output_tokens</c> (whole numbers, at least 1). Blank lines are skipped and other
/// fields ignored, so traces may carry ids or text. Errors name the file, the line and the field.
/// </summary>
public static class TraceReader
{
    /// <summary>Name of the arrival-time field, in seconds.</summary>
    public const string ArrivalField = "arrival_s";

    /// <summary>Name of the prompt-length field, in tokens.</summary>
    public const string InputField = "input_tokens";

    /// <summary>Name of the output-length field, in tokens.</summary>
    public const string OutputField = "output_tokens";

    private const string ExampleLine = """{"arrival_s": 0.5, "input_tokens": 512, "output_tokens": 128}""";

    /// <summary>Reads the trace at <paramref name="path"/>; see <see cref="Read(TextReader, string)"/>.</summary>
    /// <exception cref="InputException">The file cannot be read or a line is malformed.</exception>
    public static WorkloadRequest[] ReadFile(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InputException("trace file path is empty; give a JSONL file, as in trace:requests.jsonl.");
        }

        try
        {
            using var reader = new StreamReader(path);
            return Read(reader, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot read trace file '{path}': {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads a trace from <paramref name="reader"/>, naming it <paramref name="sourceName"/> in errors. Requests
    /// come back sorted by arrival time (stable, so equal times keep their file order).
    /// </summary>
    /// <exception cref="InputException">A line is malformed or the trace has no requests.</exception>
    public static WorkloadRequest[] Read(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        var requests = new List<WorkloadRequest>();
        var sorted = true;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var request = ParseLine(line, sourceName, lineNumber);
            sorted &= requests.Count == 0 || requests[^1].ArrivalSeconds <= request.ArrivalSeconds;
            requests.Add(request);
        }

        if (requests.Count == 0)
        {
            throw new InputException($"{sourceName}: the trace has no requests; write one JSON object per line, such as {ExampleLine}.");
        }

        return sorted ? [.. requests] : [.. requests.OrderBy(r => r.ArrivalSeconds)];
    }

    private static WorkloadRequest ParseLine(string line, string sourceName, int lineNumber)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            var column = e.BytePositionInLine is { } position ? $" at column {position + 1}" : string.Empty;
            throw new InputException(
                $"{sourceName}, line {lineNumber}: not valid JSON{column}; each line must be one object such as {ExampleLine}.",
                e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InputException(
                    $"{sourceName}, line {lineNumber}: expected a JSON object, found {Describe(root)}; write {ExampleLine}.");
            }

            var arrival = ReadArrival(root, sourceName, lineNumber);
            var input = ReadTokens(root, InputField, sourceName, lineNumber);
            var output = ReadTokens(root, OutputField, sourceName, lineNumber);
            return new WorkloadRequest(arrival, input, output);
        }
    }

    private static double ReadArrival(JsonElement root, string sourceName, int lineNumber)
    {
        var value = Field(root, ArrivalField, sourceName, lineNumber);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || double.IsInfinity(seconds))
        {
            throw FieldError(sourceName, lineNumber, ArrivalField, $"must be a number of seconds, got {Describe(value)}");
        }

        if (seconds < 0)
        {
            throw FieldError(sourceName, lineNumber, ArrivalField, $"must be 0 or more (seconds from the start of the trace), got {Describe(value)}");
        }

        return seconds;
    }

    private static int ReadTokens(JsonElement root, string name, string sourceName, int lineNumber)
    {
        var value = Field(root, name, sourceName, lineNumber);
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw FieldError(sourceName, lineNumber, name, $"must be a whole number of tokens, got {Describe(value)}");
        }

        if (!value.TryGetInt32(out var tokens))
        {
            var reason = value.TryGetDouble(out var number) && number == Math.Floor(number)
                ? $"is out of range ({int.MaxValue} at most)"
                : "must be a whole number of tokens";
            throw FieldError(sourceName, lineNumber, name, $"{reason}, got {Describe(value)}");
        }

        if (tokens < 1)
        {
            throw FieldError(sourceName, lineNumber, name, $"must be at least 1 token, got {tokens}");
        }

        return tokens;
    }

    private static JsonElement Field(JsonElement root, string name, string sourceName, int lineNumber) =>
        root.TryGetProperty(name, out var value)
            ? value
            : throw new InputException($"{sourceName}, line {lineNumber}: missing field '{name}'; each line needs {ExampleLine}.");

    private static InputException FieldError(string sourceName, int lineNumber, string field, string problem) =>
        new($"{sourceName}, line {lineNumber}: field '{field}' {problem}.");

    private static string Describe(JsonElement value)
    {
        var raw = value.GetRawText();
        if (raw.Length > 40)
        {
            raw = raw[..37] + "...";
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => $"the string {raw}",
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            _ => raw,
        };
    }
}
