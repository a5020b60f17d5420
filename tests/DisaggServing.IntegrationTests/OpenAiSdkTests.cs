using OpenAI.Chat;

namespace DisaggServing.IntegrationTests;

[Collection(AppCollection.Name)]
public sealed class OpenAiSdkTests(AppFixture fixture)
{
    private ChatClient Client() => fixture.Kit.ChatClient();

    [Fact]
    public async Task The_official_sdk_completes_a_chat()
    {
        ChatCompletion completion = await Client().CompleteChatAsync([new UserChatMessage(Prompts.Long(7))], new ChatCompletionOptions { MaxOutputTokenCount = 6 });
        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        Assert.Equal(6, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task The_official_sdk_streams_a_chat()
    {
        var text = new System.Text.StringBuilder();
        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage(Prompts.Long(8))], new ChatCompletionOptions { MaxOutputTokenCount = 6 }))
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
        Assert.True(text.Length > 0);
    }
}
