using DisaggServing.Protocol.OpenAi;
using DisaggServing.Worker.Tests.Support;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace DisaggServing.Worker.Tests;

public sealed class BodyLimitTests
{
    [Fact]
    public async Task A_body_over_the_server_limit_is_413_in_the_OpenAI_shape()
    {
        await using var worker = await WorkerHost.StartAsync(["InstantEngine=true"],
            services => services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = 1024));
        var (status, body) = await worker.PostAsync("/v1/completions", Json.Of(new { prompt = new string('a', 4096) }));

        Assert.Equal(413, status);
        var error = Json.AssertError(body, ErrorTypes.InvalidRequest);
        Assert.Equal("request_too_large", error.GetProperty("code").GetString());
    }
}
