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
    public async Task Writer_frames_each_event_on_its_own_whatever_came_before()
    {
        using var stream = new MemoryStream();
        var big = new string('x', 100_000);

        await SseWriter.WriteJsonAsync(stream, new CompletionResponse("cmpl-1", 1, "m", [new CompletionChoice(0, big, null)]));
        await Assert.ThrowsAsync<InvalidOperationException>(() => SseWriter.WriteJsonAsync(stream, new Throwing()));
        await SseWriter.WriteJsonAsync(stream, new CompletionResponse("cmpl-1", 1, "m", [new CompletionChoice(0, "é", "stop")]));
        await SseWriter.WriteDataAsync(stream, "héllo");
        await SseWriter.WriteDoneAsync(stream);

        var text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal(
            "data: {\"id\":\"cmpl-1\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\"" + big + "\"}],\"object\":\"text_completion\"}\n\n" +
            "data: {\"id\":\"cmpl-1\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\"\\u00E9\",\"finish_reason\":\"stop\"}],\"object\":\"text_completion\"}\n\n" +
            "data: héllo\n\n" +
            "data: [DONE]\n\n", text);
    }

    [Fact]
    public async Task Writes_that_resume_on_other_threads_keep_their_own_events()
    {
        // Each stream completes its writes asynchronously, so events of many streams interleave across threads.
        var streams = Enumerable.Range(0, 16).Select(_ => new YieldingStream()).ToArray();
        await Task.WhenAll(streams.Select((stream, s) => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
                await SseWriter.WriteJsonAsync(stream, new CompletionResponse($"cmpl-{s}", i, "m", [new CompletionChoice(0, new string('t', i * 7), null)]));
            await SseWriter.WriteDoneAsync(stream);
        })));

        for (var s = 0; s < streams.Length; s++)
        {
            var expected = new StringBuilder();
            for (var i = 0; i < 50; i++)
                expected.Append("data: {\"id\":\"cmpl-").Append(s).Append("\",\"created\":").Append(i)
                    .Append(",\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\"").Append('t', i * 7).Append("\"}],\"object\":\"text_completion\"}\n\n");
            expected.Append("data: [DONE]\n\n");
            Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(streams[s].ToArray()));
        }
    }

    [Fact]
    public async Task Data_must_be_one_line()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SseWriter.WriteDataAsync(new MemoryStream(), "a\nb"));
    }

    private sealed class Throwing
    {
        public string Value => throw new InvalidOperationException("no value");
    }

    /// <summary>A memory stream whose writes copy the caller's bytes only after yielding to another thread.</summary>
    private sealed class YieldingStream : MemoryStream
    {
        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            await Task.Delay(Random.Shared.Next(0, 2), cancellationToken);
            lock (this) Write(buffer.Span);
        }

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            await Task.Yield();
        }
    }
}
