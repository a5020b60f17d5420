using System.Text.Json;
using DisaggServing.Engine;

namespace DisaggServing.Cli.Plan;

/// <summary>
/// <c>--prices FILE</c>: a JSON object of $/hour by instance type (<c>{"p5.48xlarge": 31.46}</c>), e.g. reserved,
/// savings-plan or spot prices; it overrides the catalog's on-demand prices for the types it names.
/// </summary>
internal static class PriceFile
{
    public static IReadOnlyDictionary<string, double> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"--prices {path}: cannot read the file: {e.Message}");
        }

        Dictionary<string, double>? prices;
        try
        {
            prices = JsonSerializer.Deserialize<Dictionary<string, double>>(text, new JsonSerializerOptions { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InputException($"--prices {path}: not a JSON object of $/hour by instance type, e.g. {{\"p5.48xlarge\": 31.46}}: {e.Message}");
        }

        foreach (var (id, price) in prices ?? [])
        {
            if (!(price > 0) || double.IsInfinity(price))
                throw new InputException($"--prices {path}: \"{id}\" must be a positive $/hour; got {price}.");
        }

        return new Dictionary<string, double>(prices ?? [], StringComparer.OrdinalIgnoreCase);
    }
}
