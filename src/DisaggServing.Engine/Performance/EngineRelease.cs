using System.Globalization;
using System.Text.RegularExpressions;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// A release of the serving engine (<c>--engine-version</c>): major.minor.patch, read from the spellings the engines'
/// releases and benchmark pages use (<c>0.11.0</c>, <c>v0.13</c>, <c>1.2.0rc1</c>, <c>0.5.6.post1</c>); a pre- or
/// post-release counts as its release. What a release changes is <see cref="ReleaseDefaults"/>.
/// </summary>
public readonly partial record struct EngineRelease(int Major, int Minor, int Patch) : IComparable<EngineRelease>
{
    /// <summary>The release <paramref name="text"/> names; <see cref="InputException"/> naming <paramref name="field"/> otherwise.</summary>
    public static EngineRelease Parse(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = Spelling().Match(text.Trim());
        if (!match.Success)
            throw new InputException($"{field} '{text}' is not a release; give major.minor[.patch], as 0.11.0, v0.13 or 1.2.0rc1.");
        static int Part(Group g) => g.Success ? int.Parse(g.Value, CultureInfo.InvariantCulture) : 0;
        return new EngineRelease(Part(match.Groups[1]), Part(match.Groups[2]), Part(match.Groups[3]));
    }

    /// <summary>The release <paramref name="text"/> names, or null where it names none (an image tag such as <c>latest</c> or <c>nightly</c>).</summary>
    public static EngineRelease? TryParse(string? text) =>
        text is not null && Spelling().Match(text.Trim()) is { Success: true } ? Parse(text, "release") : null;

    /// <summary>True when this release came before <paramref name="major"/>.<paramref name="minor"/>.<paramref name="patch"/>.</summary>
    public bool Before(int major, int minor, int patch = 0) => CompareTo(new EngineRelease(major, minor, patch)) < 0;

    /// <inheritdoc />
    public int CompareTo(EngineRelease other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor != other.Minor ? Minor.CompareTo(other.Minor) : Patch.CompareTo(other.Patch);

    /// <summary>The release as <c>--engine-version</c> takes it.</summary>
    public override string ToString() => $"{Major}.{Minor}.{Patch}";

    [GeneratedRegex(@"^v?(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?(?:[.-]?(?:rc|post|dev|a|b)\d*)*$", RegexOptions.IgnoreCase)]
    private static partial Regex Spelling();
}
