using System.Text.Json;
using DisaggServing.Protocol.Tests.Validation;
using DisaggServing.Router.Tests.Fakes;

namespace DisaggServing.Router.Tests.Http;

/// <summary>
/// Every vLLM corpus case through the router's HTTP pipeline: refusals get vLLM's status in OpenAI's shape and reach no
/// worker; valid edges are forwarded and answered 200. Cases that need the model's vocabulary are the engine's to
/// refuse (the router has no vocabulary) and are left to the Worker's run of the corpus.
/// </summary>
public sealed class VllmCorpusTests(PdClusterFixture cluster) : IClassFixture<PdClusterFixture>
{
    private const string Model = "test-model";
    private const int MaxModelLen = 1000;

    public static TheoryData<string> Cases() => VllmCorpus.Ids();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_router_answers_each_case_as_vllm_does(string id)
    {
        var c = VllmCorpus.Get(id);
        if (c.NeedsVocabulary) return;
        var requestId = Bodies.NewId();
        using var request = c.ToHttp(Model, MaxModelLen, c.Route.TrimStart('/'));
        request.Headers.Add("X-Request-Id", requestId);

        using var response = await cluster.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(c.Status == (int)response.StatusCode, $"{id}: expected {c.Status}, got {(int)response.StatusCode}: {text}");
        if (c.Status != 200)
        {
            CorpusCase.AssertError(JsonDocument.Parse(text).RootElement, c.Param, id);
            Assert.Empty(cluster.Workers.SelectMany(w => w.CallsFor(requestId)));
        }
    }
}
