using System.Net;
using System.Net.Http.Headers;
using DisaggServing.Router.Tests.Fakes;

namespace DisaggServing.Router.Tests.Http;

/// <summary>Optional Bearer API keys on /v1/*.</summary>
public class AuthTests : IAsyncLifetime
{
    private FakeWorker _decode = null!;
    private RouterHost _router = null!;

    public async Task InitializeAsync()
    {
        _decode = await FakeWorker.StartAsync("decode-0");
        _router = await RouterHost.StartAsync(new Dictionary<string, string?>
        {
            ["Router:Decode:0"] = _decode.Url,
            ["Router:ApiKeys:0"] = "key-one",
            ["Router:ApiKeys:1"] = "key-two",
            ["Router:WorkerApiKey"] = "worker-key",
        });
    }

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        await _decode.DisposeAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong")]
    [InlineData("Basic a2V5LW9uZQ==")]
    [InlineData("Bearer key-one-and-more")]
    public async Task Missing_or_bad_keys_get_an_openai_401(string? authorization)
    {
        var request = Bodies.Post("v1/completions", Bodies.Completion("hi"));
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await _router.Client.SendAsync(request);
        var error = await Bodies.AssertOpenAiErrorAsync(response, 401);
        Assert.Equal("authentication_error", (string)error["type"]!);
        Assert.Equal("invalid_api_key", (string?)error["code"]);
        Assert.Empty(_decode.Calls);

        var models = new HttpRequestMessage(HttpMethod.Get, "v1/models");
        if (authorization is not null) models.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var modelsResponse = await _router.Client.SendAsync(models);
        await Bodies.AssertOpenAiErrorAsync(modelsResponse, 401);
    }

    [Theory]
    [InlineData("key-one")]
    [InlineData("key-two")]
    public async Task Good_keys_pass_and_the_worker_gets_the_router_key(string key)
    {
        _decode.Reset();
        var request = Bodies.Post("v1/completions", Bodies.Completion("hi"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await _router.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer worker-key", Assert.Single(_decode.Calls).Authorization);
    }

    [Fact]
    public async Task The_model_list_is_learned_from_workers_that_require_the_worker_key()
    {
        await using var keyed = await FakeWorker.StartAsync("decode-keyed");
        keyed.ModelId = "keyed-model";
        keyed.RequiredKey = "worker-key";
        await using var router = await RouterHost.StartAsync(new Dictionary<string, string?>
        {
            ["Router:Decode:0"] = keyed.Url,
            ["Router:WorkerApiKey"] = "worker-key",
        });
        await router.Get<Monitoring.EndpointMonitor>().FetchModelsAsync(CancellationToken.None);
        var list = System.Text.Json.Nodes.JsonNode.Parse(await router.Client.GetStringAsync("v1/models"))!;
        Assert.Equal("keyed-model", (string)list["data"]![0]!["id"]!);
    }

    [Fact]
    public async Task Health_and_metrics_need_no_key()
    {
        using var health = await _router.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var metrics = await _router.Client.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }
}
