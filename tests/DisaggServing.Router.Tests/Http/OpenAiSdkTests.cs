using System.ClientModel;
using System.Text;
using DisaggServing.Router.Tests.Fakes;
using OpenAI;
using OpenAI.Chat;

namespace DisaggServing.Router.Tests.Http;

/// <summary>The official OpenAI .NET SDK, unchanged, against the router (P/D path), streaming and not.</summary>
public class OpenAiSdkTests(PdClusterFixture cluster) : IClassFixture<PdClusterFixture>
{
    private ChatClient Chat => new("test-model", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(cluster.Router.Url + "/v1") });

    [Fact]
    public async Task Chat_completion()
    {
        cluster.Reset();
        ChatCompletion completion = await Chat.CompleteChatAsync(
            [new UserChatMessage(Bodies.Words(60))], new ChatCompletionOptions { MaxOutputTokenCount = 3 });
        Assert.Equal("tok0 tok1 tok2 ", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(3, completion.Usage.OutputTokenCount);
        Assert.Single(cluster.Prefills.SelectMany(w => w.Calls));
        var decode = Assert.Single(cluster.Decodes.SelectMany(w => w.Calls));
        Assert.Equal(3, (int)decode.Body["max_completion_tokens"]!);
    }

    [Fact]
    public async Task Streaming_chat_completion()
    {
        cluster.Reset();
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in Chat.CompleteChatStreamingAsync(
            [new SystemChatMessage("be brief"), new UserChatMessage(Bodies.Words(60))], new ChatCompletionOptions { MaxOutputTokenCount = 4 }))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            usage ??= update.Usage;
        }
        Assert.Equal("tok0 tok1 tok2 tok3 ", text.ToString());
        Assert.Single(cluster.Prefills.SelectMany(w => w.Calls));
        var decode = Assert.Single(cluster.Decodes.SelectMany(w => w.Calls));
        Assert.True((bool)decode.Body["stream"]!);
        if (decode.Body["stream_options"]?["include_usage"]?.GetValue<bool>() == true) Assert.NotNull(usage);
    }

    [Fact]
    public async Task Models()
    {
        var models = new OpenAI.Models.OpenAIModelClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(cluster.Router.Url + "/v1") });
        var list = await models.GetModelsAsync();
        Assert.Contains(list.Value, m => m.Id == "test-model");
    }
}
