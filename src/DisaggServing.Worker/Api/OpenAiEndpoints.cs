using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Tokenization;
using DisaggServing.Protocol.Validation;
using DisaggServing.Worker.Configuration;

namespace DisaggServing.Worker.Api;

/// <summary>vLLM's OpenAI-compatible surface: completions, chat completions, models and tokenize.</summary>
public static class OpenAiEndpoints
{
    public static IEndpointRouteBuilder MapOpenAiEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/completions", async (HttpContext context, WorkerSettings settings, GenerationRunner runner) =>
        {
            var plan = await PlanAsync(context, settings, chat: false).ConfigureAwait(false);
            await runner.RunAsync(context, plan, ResponseFormat.Completion).ConfigureAwait(false);
        });

        app.MapPost("/v1/chat/completions", async (HttpContext context, WorkerSettings settings, GenerationRunner runner) =>
        {
            var plan = await PlanAsync(context, settings, chat: true).ConfigureAwait(false);
            await runner.RunAsync(context, plan, ResponseFormat.Chat).ConfigureAwait(false);
        });

        app.MapGet("/v1/models", (HttpContext context, WorkerSettings settings, ServedSince since) =>
            ApiResponses.WriteJsonAsync(context.Response, new ModelList([new ModelCard(settings.ModelId, since.UnixSeconds, "vllm", settings.MaxModelLen)])));

        app.MapPost("/tokenize", async (HttpContext context, WorkerSettings settings) =>
        {
            var request = await RequestBody.ReadAsync<TokenizeRequest>(context.Request).ConfigureAwait(false);
            IReadOnlyList<int> tokens = request switch
            {
                { Messages: not null } => PromptReader.Chat(request.Messages),
                { Prompt: not null } => PromptTokenizer.Instance.Encode(request.Prompt),
                _ => throw OpenAiException.BadRequest("Send 'prompt' or 'messages' to tokenize.", "prompt"),
            };
            RequestValidator.CheckModel(request.Model, settings);
            await ApiResponses.WriteJsonAsync(context.Response, new TokenizeResponse(tokens.Count, settings.MaxModelLen, tokens)).ConfigureAwait(false);
        });
        return app;
    }

    /// <summary>vLLM's checks (shared with the router), then this engine's own limits, then the plan.</summary>
    private static async Task<GenerationPlan> PlanAsync(HttpContext context, WorkerSettings settings, bool chat)
    {
        var body = await RequestBody.ReadBytesAsync(context.Request).ConfigureAwait(false);
        using var document = OpenAiRequestValidator.Parse(body);
        OpenAiRequestValidator.CheckContentType(context.Request.ContentType);
        var validated = OpenAiRequestValidator.Validate(document.RootElement, chat, settings.ValidationLimits);
        EngineSupport.Check(document.RootElement, validated);
        var prompt = chat ? PromptReader.Chat(validated.Messages!) : PromptReader.Completion(validated.Prompts);
        return RequestValidator.Plan(validated.Request, prompt, chat, settings);
    }
}
