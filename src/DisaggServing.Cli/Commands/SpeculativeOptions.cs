using System.CommandLine;
using DisaggServing.Engine;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// Speculative decoding's flags (<c>--speculative-method</c>, <c>--num-speculative-tokens</c>, <c>--acceptance-length</c>,
/// with SGLang's spellings, and the EAGLE head <c>--speculative-model</c>): all three or none. Shared by estimate,
/// simulate and plan; each verb makes its own options (a System.CommandLine option belongs to one command).
/// </summary>
internal sealed class SpeculativeOptions
{
    public Option<string?> Method { get; } = CliOptions.Parsed<string?>("--speculative-method",
        "Speculative decoding's drafter (with --num-speculative-tokens and --acceptance-length): mtp, the checkpoint's multi-token-prediction layers (DeepSeek-V3/R1, GLM-4.5+, Qwen3.5, MiniMax-M2; vLLM's method mtp, SGLang's EAGLE/NEXTN on them), each draft one pass of a layer of the target's shape and its LM head; eagle, an EAGLE head (one decoder layer, the target's vocabulary); eagle3, an EAGLE-3 head (its own 32,000-token vocabulary); ngram, prompt-lookup drafts proposed on the host [default: none, one token a step].",
        "mtp|eagle|eagle3|ngram", text => SpeculativeDecoding.Name(SpeculativeDecoding.Parse(text)));

    public Option<int?> Tokens { get; } = CliOptions.OptionalPositiveInt("--num-speculative-tokens",
        "Draft tokens each decoding sequence verifies a step (vLLM's speculative-config num_speculative_tokens, SGLang's --speculative-num-steps with top-k 1, TensorRT-LLM's num_nextn_predict_layers for MTP).");

    public Option<double?> AcceptanceLength { get; } = CliOptions.PositiveDouble("--acceptance-length",
        "Tokens a decoding sequence gains per verifying step, on average, 1 to --num-speculative-tokens + 1: vLLM's spec-decode mean acceptance length, SGLang bench_serving's 'Accept length'. It depends on the model, the drafter and the text, so give the one your engine reports for your data.", helpName: "L");

    public Option<string?> DraftModel { get; } = new("--speculative-model")
    {
        Description = "With --speculative-method eagle or eagle3: the draft head's Hugging Face id, which a topology written by plan --out has vLLM load (its speculative-config model); estimates do not depend on it.",
        HelpName = "ID",
    };

    /// <summary>Adds the options to <paramref name="command"/>, with SGLang's spellings of the first two.</summary>
    public void AddTo(Command command, bool withDraftModel = false)
    {
        EngineOptions.AddAliases(Method, "--speculative-algorithm");
        EngineOptions.AddAliases(Tokens, "--speculative-num-steps");
        command.Add(Method);
        command.Add(Tokens);
        command.Add(AcceptanceLength);
        if (withDraftModel) command.Add(DraftModel);
    }

    /// <summary>The speculative decoding the flags ask for, or null when none is given; an <see cref="InputException"/> naming the missing flag when only some are.</summary>
    public SpeculativeDecoding? Resolve(ParseResult parse)
    {
        var method = parse.GetValue(Method);
        var tokens = parse.GetValue(Tokens);
        var acceptance = parse.GetValue(AcceptanceLength);
        if (method is null && tokens is null && acceptance is null) return null;
        if (method is null || tokens is null || acceptance is null)
            throw new InputException(
                "Speculative decoding needs --speculative-method, --num-speculative-tokens and --acceptance-length together (e.g. --speculative-method mtp " +
                "--num-speculative-tokens 3 --acceptance-length 2.5); " + (method is null ? "--speculative-method" : tokens is null ? "--num-speculative-tokens" : "--acceptance-length") + " is missing.");
        return new(SpeculativeDecoding.Parse(method), tokens.Value, acceptance.Value);
    }
}
