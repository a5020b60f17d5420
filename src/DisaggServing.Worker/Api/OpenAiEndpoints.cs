using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Tokenization;
using DisaggServing.Worker.Configuration;

namespace DisaggServing.Worker.Api;

/// <summary>vLLM's OpenAI-compatible surface: completions, chat completions, models and tokenize.</summary>
public static class OpenAiEndpoints
{
    public static IEndpointRouteBuilder MapOpenAiEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/completions", async (HttpContext context, WorkerSettings settings, GenerationRunner runner) =>
        {
            var request = await RequestBody.ReadAsync<CompletionRequest>(context.Request).ConfigureAwait(false);
            var plan = RequestValidator.Plan(request, PromptReader.Completion(request.Prompt), chat: false, settings);
            await runner.RunAsync(context, plan, ResponseFormat.Completion).ConfigureAwait(false);
        });

        app.MapPost("/v1/chat/completions", async (HttpContext context, WorkerSettings settings, GenerationRunner runner) =>
        {
            var request = await RequestBody.ReadAsync<ChatCompletionRequest>(context.Request).ConfigureAwait(false);
            var plan = RequestValidator.Plan(request, PromptReader.Chat(request.Messages), chat: true, settings);
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
                _ => throw ApiException.BadRequest("Send 'prompt' or 'messages' to tokenize.", "prompt"),
            };
            RequestValidator.CheckModel(request.Model, settings);
            await ApiResponses.WriteJsonAsync(context.Response, new TokenizeResponse(tokens.Count, settings.MaxModelLen, tokens)).ConfigureAwait(false);
        });
        return app;
    }
}
