using System.CommandLine;
using DisaggServing.Cli.Output;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// <c>disagg models</c>: every model id and alias the catalog knows (what <c>--model</c> takes), with its parameters and
/// checkpoint format, then the GPU ids and their aliases (what <c>--gpu</c> takes). The unknown-id errors point here.
/// </summary>
internal sealed class ModelsCommand : Command
{
    private readonly CliContext context;
    private readonly Option<bool> json = CliOptions.Flag("--json", "Print the models and GPUs as JSON.");

    public ModelsCommand(CliContext context)
        : base("models", "List the model ids and aliases --model takes (parameters, checkpoint format, context) and the GPU ids and aliases --gpu takes.")
    {
        this.context = context;
        Add(json);
        SetAction(Execute);
    }

    private int Execute(ParseResult parse)
    {
        if (parse.GetValue(json)) context.Stdout.WriteLine(JsonOutput.Serialize(CatalogListing.ToJson()));
        else CatalogListing.Write(context.Stdout);
        return ExitCodes.Ok;
    }
}
