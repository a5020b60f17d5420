using DisaggServing.Protocol.KvTransfer;
using DisaggServing.Router.Discovery;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;

namespace DisaggServing.Router.Tests.Unit;

/// <summary>The KV-transfer service down: prefix lookups give nothing (load-only routing) and stop costing a call each.</summary>
public class KvIndexOutageTests
{
    private sealed class DownHandler : HttpMessageHandler
    {
        public int Calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            throw new HttpRequestException("Connection refused", null, System.Net.HttpStatusCode.ServiceUnavailable);
        }
    }

    [Fact]
    public async Task While_the_service_is_down_lookups_return_no_matches_and_only_the_first_one_calls_it()
    {
        var handler = new DownHandler();
        using var channel = GrpcChannel.ForAddress("http://127.0.0.1:9", new GrpcChannelOptions { HttpHandler = handler });
        var index = new KvIndexPrefixIndex(new KvIndex.KvIndexClient(channel), TimeSpan.FromSeconds(1), NullLogger<KvIndexPrefixIndex>.Instance);

        for (var i = 0; i < 5; i++)
        {
            var lookup = await index.LookupAsync([1UL, 2UL], CancellationToken.None);
            Assert.Empty(lookup.Matches);
        }
        Assert.Equal(1, handler.Calls);

        await Task.Delay(KvIndexPrefixIndex.RetryAfter + TimeSpan.FromMilliseconds(100));
        await index.LookupAsync([1UL], CancellationToken.None);
        Assert.Equal(2, handler.Calls); // tried again: it recovers as soon as the service answers
    }
}
