using System.ClientModel;
using DisaggServing.Worker.Tests.Support;
using OpenAI;
using OpenAI.Chat;

namespace DisaggServing.Worker.Tests;

/// <summary>The official OpenAI .NET SDK, unchanged, against a worker.</summary>
public sealed class OpenAiSdkTests(InstantWorkerFixture fixture) : IClassFixture<InstantWorkerFixture>
{
    private ChatClient Client => new(fixture.Worker.Settings.ModelId, new ApiKeyCredential("unused"),
        new OpenAIClientOptions { Endpoint = new Uri(fixture.Worker.Http.BaseAddress!, "/v1") });

    [Fact]
    public async Task Chat_completion_through_the_sdk()
    {
        ChatCompletion completion = await Client.CompleteChatAsync([new UserChatMessage("Hello from the SDK")], new ChatCompletionOptions { MaxOutputTokenCount = 8 });

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal(8, completion.Usage.OutputTokenCount);
        Assert.True(completion.Usage.InputTokenCount > 0);
    }

    [Fact]
    public async Task Streaming_chat_through_the_sdk()
    {
        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in Client.CompleteChatStreamingAsync([new UserChatMessage("Stream to me")], new ChatCompletionOptions { MaxOutputTokenCount = 6 }))
        {
            foreach (var part in update.ContentUpdate)
                text.Append(part.Text);
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.False(string.IsNullOrWhiteSpace(text.ToString()));
        Assert.Equal(6, usage?.OutputTokenCount);
    }

    [Fact]
    public async Task Sdk_errors_carry_the_status()
    {
        var client = new ChatClient("gpt-4o", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(fixture.Worker.Http.BaseAddress!, "/v1") });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, error.Status);
    }
}
