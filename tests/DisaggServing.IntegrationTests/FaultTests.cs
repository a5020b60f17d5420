using System.Net;
using System.Net.Http.Json;

namespace DisaggServing.IntegrationTests;

/// <summary>Its own app: this class crashes a worker.</summary>
public sealed class FaultTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Requests_complete_after_a_prefill_worker_dies()
    {
        try
        {
            using var crash = await fixture.Worker("prefill-0").PostAsJsonAsync("/admin/faults", new { crash = true });
        }
        catch (HttpRequestException)
        {
            // The worker may exit before its answer arrives.
        }
        var statuses = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            using var response = await fixture.Router.PostAsJsonAsync("/v1/completions",
                new { model = fixture.Model, prompt = Prompts.Long(400 + i), max_tokens = 4 });
            return response.StatusCode;
        }));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }
}
