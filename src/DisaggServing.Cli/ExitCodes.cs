namespace DisaggServing.Cli;

/// <summary>Process exit codes of <c>disagg</c> (sysexits-style 70 for bugs, so scripts can tell them from bad input).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The run completed but the answer is negative (the model does not fit).</summary>
    public const int DoesNotFit = 1;

    /// <summary><c>bench</c>: the run completed but every request failed.</summary>
    public const int AllFailed = 1;

    /// <summary><c>plan</c>: the search completed but no candidate meets the SLO at the rate.</summary>
    public const int NoPlan = 1;

    /// <summary>Bad user input: a parse error, an invalid option or an unreadable file.</summary>
    public const int BadInput = 2;

    /// <summary>A bug: an exception that is not the user's fault.</summary>
    public const int Internal = 70;
}
