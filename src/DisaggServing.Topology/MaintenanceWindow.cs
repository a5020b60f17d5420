using System.Globalization;
using System.Text.RegularExpressions;
using DisaggServing.Engine;

namespace DisaggServing.Topology;

/// <summary>
/// A weekly or daily window (cron <c>minute hour * * day-of-week</c>, UTC, and a duration) in which serving GPU
/// nodes may be drained. Karpenter's budgets are the most restrictive of those active, so "only inside the window"
/// is written as a budget of 0 nodes over its complement: from the window's end until its next start.
/// </summary>
public sealed partial record MaintenanceWindow(int Minute, int Hour, int? DayOfWeek, TimeSpan Duration)
{
    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>The repeat period: a week when a day is given, else a day.</summary>
    public TimeSpan Period => DayOfWeek is null ? TimeSpan.FromDays(1) : TimeSpan.FromDays(7);

    /// <summary>Cron of the complement's start (the window's end), in Karpenter's five-field form.</summary>
    public string ComplementSchedule
    {
        get
        {
            var end = new TimeSpan(Hour, Minute, 0) + Duration;
            var days = (int)Math.Floor(end.TotalDays);
            var time = end - TimeSpan.FromDays(days);
            var dow = DayOfWeek is { } d ? ((d + days) % 7).ToString(CultureInfo.InvariantCulture) : "*";
            return string.Create(CultureInfo.InvariantCulture, $"{time.Minutes} {time.Hours} * * {dow}");
        }
    }

    /// <summary>Length of the complement, as a Karpenter duration (<c>164h</c>, <c>20h30m</c>).</summary>
    public string ComplementDuration => Format(Period - Duration);

    /// <summary>
    /// Parses <paramref name="cron"/> (<c>M H * * D</c> with D a day 0–7 or sun–sat, or <c>*</c>) and
    /// <paramref name="duration"/> (<c>4h</c>, <c>90m</c>, <c>1h30m</c>); an <see cref="InputException"/> saying what
    /// is accepted otherwise. The duration must be shorter than the period.
    /// </summary>
    public static MaintenanceWindow Parse(string cron, string duration)
    {
        ArgumentNullException.ThrowIfNull(cron);
        ArgumentNullException.ThrowIfNull(duration);
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length != 5 || fields[2] != "*" || fields[3] != "*"
            || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var minute) || minute > 59
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var hour) || hour > 23
            || !TryDay(fields[4], out var day))
        {
            throw new InputException($"Maintenance window '{cron}' is not 'minute hour * * day-of-week' (e.g. '0 2 * * sun' for Sundays 02:00 UTC, or '30 3 * * *' daily).");
        }

        var length = ParseDuration(duration) ?? throw new InputException($"Maintenance window duration '{duration}' is not a duration such as 4h, 90m or 1h30m.");
        var window = new MaintenanceWindow(minute, hour, day, length);
        if (length <= TimeSpan.Zero || length >= window.Period)
            throw new InputException($"Maintenance window duration '{duration}' must be above 0 and shorter than the window's period ({Format(window.Period)}).");
        return window;
    }

    /// <summary>A Karpenter duration (<c>720h</c>, <c>30m</c>, <c>1h30m</c>, <c>90s</c>) as a time span, or null.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        var match = DurationPattern().Match(text?.Trim() ?? "");
        if (!match.Success || match.Length == 0) return null;
        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var value = long.Parse(part.Value[..^1], CultureInfo.InvariantCulture);
            total += part.Value[^1] switch { 'h' => TimeSpan.FromHours(value), 'm' => TimeSpan.FromMinutes(value), _ => TimeSpan.FromSeconds(value) };
        }

        return total;
    }

    private static bool TryDay(string text, out int? day)
    {
        day = null;
        if (text == "*") return true;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 7)
        {
            day = n % 7;
            return true;
        }

        var index = Array.IndexOf(Days, text.ToLowerInvariant());
        if (index < 0) return false;
        day = index;
        return true;
    }

    private static string Format(TimeSpan span)
    {
        var hours = (int)span.TotalHours;
        return span.Minutes == 0 ? $"{hours}h" : hours == 0 ? $"{span.Minutes}m" : $"{hours}h{span.Minutes}m";
    }

    [GeneratedRegex(@"^(?<part>[0-9]+[hms])+$")]
    private static partial Regex DurationPattern();
}
