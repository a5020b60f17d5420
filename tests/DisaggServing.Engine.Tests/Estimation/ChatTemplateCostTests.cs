using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Estimation;

// vLLM's chat endpoint renders a Hugging Face Jinja chat template before the engine sees a request
// (EngineProfile.ChatTemplateSeconds); gpt-oss's harmony format is rendered by openai_harmony instead, and the
// completions endpoint renders none.
public class ChatTemplateCostTests
{
    private static EstimateResult Run(ModelSpec model, EngineProfile profile, int tp = 1, ApiEndpoint endpoint = ApiEndpoint.Chat, EngineRelease? release = null) => Estimator.Run(new EstimateOptions
    {
        Engine = new EngineSpec { Model = model, Gpu = GpuCatalog.H100Sxm, TensorParallel = tp, WeightDtype = model.CheckpointDtype ?? DType.Bf16, Engine = profile, Release = release },
        InputTokens = 233, OutputTokens = 64, Concurrency = 1, Requests = 4, Endpoint = endpoint,
    });

    private static double TtftMsAddedByTheTemplate(ModelSpec model, int tp = 1) =>
        Run(model, EngineProfiles.Vllm, tp).TtftMeanMs!.Value - Run(model, EngineProfiles.Vllm with { ChatTemplateSeconds = 0 }, tp).TtftMeanMs!.Value;

    [Fact]
    public void A_jinja_templated_models_first_token_under_vllm_pays_the_chat_template_cost_once()
    {
        Assert.Equal(EngineProfiles.Vllm.ChatTemplateSeconds * 1000, TtftMsAddedByTheTemplate(ModelCatalog.Qwen3_8B), 6);
    }

    [Theory]
    [InlineData("0.11.0", 35)]
    [InlineData("0.16.0", 35)]
    [InlineData("0.17.1", 8)]
    [InlineData(null, 8)]
    public void Vllm_before_0_17_pays_the_35_ms_measured_on_0_11_and_0_17_on_and_today_pay_8_ms(string? release, double ms)
    {
        var parsed = release is null ? (EngineRelease?)null : EngineRelease.Parse(release, "--engine-version");
        var untemplated = EngineProfiles.Vllm with { ChatTemplateSeconds = 0, OlderChatTemplateSeconds = 0 };
        var added = Run(ModelCatalog.Qwen3_8B, EngineProfiles.Vllm, release: parsed).TtftMeanMs!.Value
            - Run(ModelCatalog.Qwen3_8B, untemplated, release: parsed).TtftMeanMs!.Value;

        Assert.Equal(ms, added, 6);
    }

    [Fact]
    public void The_completions_endpoint_the_benchmarks_default_to_renders_no_template()
    {
        var spec = new EngineSpec { Model = ModelCatalog.Qwen3_8B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 1, Engine = EngineProfiles.Vllm };
        Assert.Equal(ApiEndpoint.Completions, new EstimateOptions { Engine = spec }.Endpoint);
        var completions = Run(ModelCatalog.Qwen3_8B, EngineProfiles.Vllm, endpoint: ApiEndpoint.Completions);
        var untemplated = Run(ModelCatalog.Qwen3_8B, EngineProfiles.Vllm with { ChatTemplateSeconds = 0 });
        Assert.Equal(untemplated.TtftMeanMs!.Value, completions.TtftMeanMs!.Value, 9);
        Assert.Equal("completions", completions.Endpoint);
        Assert.Equal("chat", untemplated.Endpoint);
    }

    [Fact]
    public void A_harmony_model_pays_no_chat_template_cost()
    {
        Assert.True(ModelCatalog.GptOss20B.HarmonyChat && ModelCatalog.GptOss120B.HarmonyChat);
        Assert.False(ModelCatalog.Qwen3_8B.HarmonyChat);
        Assert.Equal(0, TtftMsAddedByTheTemplate(ModelCatalog.GptOss20B), 6);
    }

    [Fact]
    public void The_cost_is_on_the_first_token_only_so_itl_and_throughput_do_not_move()
    {
        var with = Run(ModelCatalog.Qwen3_8B, EngineProfiles.Vllm);
        var without = Run(ModelCatalog.Qwen3_8B, EngineProfiles.Vllm with { ChatTemplateSeconds = 0 });
        Assert.Equal(without.ItlMeanMs!.Value, with.ItlMeanMs!.Value, 9);
        Assert.Equal(without.OutputTokensPerSecond!.Value, with.OutputTokensPerSecond!.Value, 9);
    }

    [Fact]
    public void Only_vllm_carries_a_chat_template_cost()
    {
        Assert.True(EngineProfiles.Vllm.ChatTemplateSeconds > 0);
        Assert.Equal(0, EngineProfiles.Sglang.ChatTemplateSeconds);
        Assert.Equal(0, EngineProfiles.Trtllm.ChatTemplateSeconds);
    }
}
