using System.CommandLine;
using DisaggServing.Cli.Output;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// <c>disagg models</c>: every model id and alias the catalog knows (what <c>--model</c> takes), with its parameters and
/// checkpoint format, then the GPU ids and their aliases (what <c>--gpu</c> takes). The unknown-id errors point here.
/// With <c>--model</c>, the one geometry that id, alias, NIM name or config.json resolves to, as the estimate reads it.
/// </summary>
internal sealed class ModelsCommand : Command
{
    private readonly CliContext context;
    private readonly Option<bool> json = CliOptions.Flag("--json", "Print the models and GPUs as JSON.");
    private readonly Option<ModelSpec?> model = CliOptions.Parsed<ModelSpec?>("--model",
        "Show one model's geometry as the estimate reads it: a catalogued id or alias, a NIM name, or the path of a Hugging Face config.json (or its checkpoint directory).",
        "ID|PATH", id => ModelCatalog.Get(id, "--model"));

    public ModelsCommand(CliContext context)
        : base("models", "List the model ids and aliases --model takes (parameters, checkpoint format, context) and the GPU ids and aliases --gpu takes.")
    {
        this.context = context;
        Add(json);
        Add(model);
        SetAction(Execute);
    }

    private int Execute(ParseResult parse)
    {
        if (parse.GetValue(model) is { } one)
        {
            if (parse.GetValue(json)) context.Stdout.WriteLine(JsonOutput.Serialize(CatalogListing.ToJson(one)));
            else CatalogListing.Write(context.Stdout, one);
            return ExitCodes.Ok;
        }
        if (parse.GetValue(json)) context.Stdout.WriteLine(JsonOutput.Serialize(CatalogListing.ToJson()));
        else CatalogListing.Write(context.Stdout);
        return ExitCodes.Ok;
    }
}
