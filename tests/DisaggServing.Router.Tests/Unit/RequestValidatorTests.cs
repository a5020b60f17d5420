using DisaggServing.Protocol.OpenAi;
using System.Text.Json;
using DisaggServing.Router.Configuration;
using DisaggServing.Router.Models;
using DisaggServing.Router.Requests;

namespace DisaggServing.Router.Tests.Unit;

public class RequestValidatorTests
{
    private static ParsedRequest Validate(string json, RequestKind kind, RouterOptions? options = null)
    {
        options ??= new RouterOptions { Model = "m", MaxTokens = 100, MaxContextTokens = 200 };
        using var document = JsonDocument.Parse(json);
        return new RequestValidator(new ModelCatalog(options), options).Validate(document.RootElement, kind);
    }

    private static OpenAiException Rejects(string json, RequestKind kind, RouterOptions? options = null) =>
        Assert.Throws<OpenAiException>(() => Validate(json, kind, options));

    [Fact]
    public void Reads_stream_max_tokens_prompt_and_client_kv_params()
    {
        var chat = Validate("""{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true,"max_completion_tokens":7,"max_tokens":9,"kv_transfer_params":{}}""", RequestKind.Chat);
        Assert.True(chat.Stream);
        Assert.Equal(7, chat.MaxTokens);
        Assert.True(chat.HasClientKvTransferParams);
        Assert.Contains("<|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>", chat.Prompt.Text);

        var completion = Validate("""{"prompt":[5,6,7],"max_tokens":3}""", RequestKind.Completion);
        Assert.False(completion.Stream);
        Assert.Null(completion.Model);
        Assert.Equal([5, 6, 7], completion.Prompt.Tokens);
        Assert.False(completion.HasClientKvTransferParams);

        var batch = Validate("""{"prompt":["a b","c"]}""", RequestKind.Completion);
        Assert.Equal(2, batch.Prompts.Count);
    }

    [Fact]
    public void The_cap_and_the_context_are_enforced_with_vllm_like_messages()
    {
        Assert.Contains("limit of 100", Rejects("""{"prompt":"x","max_tokens":101}""", RequestKind.Completion).Message);
        var context = Rejects("""{"prompt":[1,2,3,4,5,6,7,8,9,10],"max_tokens":95}""",
            RequestKind.Completion, new RouterOptions { MaxTokens = 100, MaxContextTokens = 100 });
        Assert.Equal(400, context.Status);
        Assert.Contains("maximum context length is 100 tokens", context.Message);
        Assert.Contains("105 tokens (10 in the prompt, 95 in the completion)", context.Message);
        Validate("""{"prompt":[1,2,3,4,5,6,7,8,9,10],"max_tokens":90}""", RequestKind.Completion, new RouterOptions { MaxContextTokens = 100 });
        Rejects("""{"prompt":[1,2,3,4,5,6,7,8,9,10]}""", RequestKind.Completion, new RouterOptions { MaxContextTokens = 10 });
    }

    [Fact]
    public void Text_prompts_are_tokenized_for_the_context_check_only_when_their_byte_bound_could_exceed_it()
    {
        var options = new RouterOptions { MaxContextTokens = 100 };
        var small = Validate("""{"prompt":"short text","max_tokens":50}""", RequestKind.Completion, options);
        Assert.Null(small.Prompt.KnownTokenCount);

        // 120 bytes but far fewer tokens: the bound fails, the real count passes.
        var words = string.Concat(Enumerable.Repeat(" ab", 40));
        var near = Validate($$"""{"prompt":"{{words}}","max_tokens":30}""", RequestKind.Completion, options);
        Assert.NotNull(near.Prompt.KnownTokenCount);
        Assert.True(near.Prompt.TokenCount + 30 <= 100);

        var over = Rejects($$"""{"prompt":"{{words}}","max_tokens":90}""", RequestKind.Completion, options);
        Assert.Contains("maximum context length is 100 tokens", over.Message);
    }

    [Fact]
    public void Without_a_known_model_or_context_the_router_leaves_those_checks_to_the_workers()
    {
        var options = new RouterOptions();
        var request = Validate("""{"model":"anything","prompt":"x","max_tokens":100000}""", RequestKind.Completion, options);
        Assert.Equal("anything", request.Model);
    }

    [Fact]
    public void Unknown_models_are_404()
    {
        var ex = Rejects("""{"model":"other","prompt":"x"}""", RequestKind.Completion);
        Assert.Equal(404, ex.Status);
        Assert.Equal("model", ex.Error.Error.Param);
    }

    [Fact]
    public void Workers_model_list_is_used_when_no_model_is_configured()
    {
        var options = new RouterOptions();
        var models = new ModelCatalog(options);
        using (var list = JsonDocument.Parse("""{"object":"list","data":[{"id":"w-model","max_model_len":50}]}"""))
            Assert.True(models.ApplyWorkerModels(list.RootElement));
        Assert.False(models.WantsWorkerModels);
        Assert.Equal(50, models.ContextLimit);
        var validator = new RequestValidator(models, options);
        using var good = JsonDocument.Parse("""{"model":"w-model","prompt":"x"}""");
        validator.Validate(good.RootElement, RequestKind.Completion);
        using var bad = JsonDocument.Parse("""{"model":"other","prompt":"x"}""");
        Assert.Equal(404, Assert.Throws<OpenAiException>(() => validator.Validate(bad.RootElement, RequestKind.Completion)).Status);
        using var tooLong = JsonDocument.Parse("""{"model":"w-model","prompt":"x","max_tokens":60}""");
        Assert.Equal(400, Assert.Throws<OpenAiException>(() => validator.Validate(tooLong.RootElement, RequestKind.Completion)).Status);
    }
}
