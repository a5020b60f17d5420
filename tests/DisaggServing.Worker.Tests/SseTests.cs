using System.Text;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Sse;

namespace DisaggServing.Worker.Tests;

/// <summary>The shared SSE helpers (Protocol) the worker streams with.</summary>
public sealed class SseTests
{
    [Fact]
    public async Task Writer_frames_json_chunks_and_done_as_OpenAI_does()
    {
        using var stream = new MemoryStream();

        await SseWriter.WriteJsonAsync(stream, new CompletionResponse("cmpl-1", 1, "m", [new CompletionChoice(0, "hi", null)]));
        await SseWriter.WriteDoneAsync(stream);

        var text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal(
            "data: {\"id\":\"cmpl-1\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\"hi\"}],\"object\":\"text_completion\"}\n\n" +
            "data: [DONE]\n\n", text);
    }

    [Fact]
    public async Task Reader_yields_each_data_up_to_done()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(": comment\n\ndata: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\ndata: {\"late\":3}\n\n"));

        var items = new List<string>();
        await foreach (var data in SseReader.ReadDataAsync(stream))
            items.Add(data);

        Assert.Equal(["{\"a\":1}", "{\"b\":2}"], items);
    }

    [Fact]
    public async Task Data_must_be_one_line()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SseWriter.WriteDataAsync(new MemoryStream(), "a\nb"));
    }
}
