using System.CommandLine;
using DisaggServing.Engine;

namespace DisaggServing.Cli;

/// <summary>
/// The <c>disagg</c> command line, callable in-process: parses, runs a verb and maps failures to exit codes
/// (0 ok, 1 does not fit, 2 bad input, 70 internal error), printing errors as one <c>error: …</c> line.
/// </summary>
public static class CliApp
{
    /// <summary>Runs <c>disagg</c> with <paramref name="args"/>, writing results to <paramref name="stdout"/> and errors to <paramref name="stderr"/>.</summary>
    /// <returns>The process exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        return Run(args, CliContext.For(stdout, stderr));
    }

    internal static int Run(string[] args, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        try
        {
            var parse = CliRoot.Create(context).Parse(args);
            if (parse.Errors.Count > 0)
            {
                return Fail(context.Stderr, string.Join(" ", parse.Errors.Select(e => e.Message).Distinct()), ExitCodes.BadInput);
            }

            // Our own handler below keeps stack traces away from users; System.CommandLine's would print them.
            return parse.Invoke(new InvocationConfiguration
            {
                Output = context.Stdout,
                Error = context.Stderr,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (InputException e)
        {
            return Fail(context.Stderr, e.Message, ExitCodes.BadInput);
        }
        catch (Exception e)
        {
            return Fail(context.Stderr, "internal: " + e.Message, ExitCodes.Internal);
        }
    }

    /// <summary>Writes <c>error: message</c> as a single line and returns <paramref name="exitCode"/>.</summary>
    internal static int Fail(TextWriter stderr, string message, int exitCode)
    {
        stderr.WriteLine("error: " + OneLine(message));
        return exitCode;
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
