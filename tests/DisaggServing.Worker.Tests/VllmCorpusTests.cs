using System.Text.Json;
using DisaggServing.Protocol.Tests.Validation;
using DisaggServing.Worker.Tests.Support;

namespace DisaggServing.Worker.Tests;

/// <summary>
/// Every vLLM corpus case through the simulated Worker's HTTP surface: vLLM's status and field, except where the case
/// records the Worker's own refusal of something vLLM serves and this engine cannot (n &gt; 1, logprobs, echo,
/// structured output, tool calls, beam search, batched prompts); and the engine stays clean after each.
/// </summary>
public sealed class VllmCorpusTests(InstantWorkerFixture fixture) : IClassFixture<InstantWorkerFixture>
{
    public static TheoryData<string> Cases() => VllmCorpus.Ids();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_worker_answers_each_case_as_vllm_does_or_refuses_what_it_cannot_serve(string id)
    {
        var c = VllmCorpus.Get(id);
        var worker = fixture.Worker;
        using var request = c.ToHttp(worker.Settings.ModelId, InstantWorkerFixture.MaxModelLen, c.Route);

        using var response = await worker.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        var status = c.WorkerStatus ?? c.Status;
        Assert.True(status == (int)response.StatusCode, $"{id}: expected {status}, got {(int)response.StatusCode}: {text}");
        if (status != 200)
            CorpusCase.AssertError(JsonDocument.Parse(text).RootElement, c.WorkerStatus is null ? c.Param : c.WorkerParam, id);
        var state = await worker.StateAsync();
        Assert.Equal(0, state.Running + state.Waiting);
    }
}
