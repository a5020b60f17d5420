using System.Text.Json;
using System.Text.Json.Serialization;
using DisaggServing.Engine.Estimation;

namespace DisaggServing.Cli.Output;

/// <summary>Indented JSON for results whose records carry their own snake_case names.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,

        // Same policy as SimulationReport.ToJson: a stray NaN should not turn a finished run into a crash.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize(EstimateResult result) => JsonSerializer.Serialize(result, Options);

    /// <summary>Any other value with the same options.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
