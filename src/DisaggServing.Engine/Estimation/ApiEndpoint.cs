namespace DisaggServing.Engine.Estimation;

/// <summary>The OpenAI endpoint a benchmark's requests go to; the chat one renders the model's chat template first.</summary>
public enum ApiEndpoint
{
    /// <summary>
    /// <c>/v1/completions</c> (or SGLang's <c>/generate</c>): the prompt as given, no chat template. The default of
    /// <c>vllm bench serve</c> (<c>--backend vllm</c>) and of SGLang's bench_serving.
    /// </summary>
    Completions,

    /// <summary>
    /// <c>/v1/chat/completions</c> (<c>vllm bench serve --backend openai-chat</c>, genai-perf's chat endpoint): the server
    /// renders the chat template before the engine sees the request (<see cref="Performance.EngineProfile.ChatTemplateSeconds"/>).
    /// </summary>
    Chat,
}
