using DisaggServing.Protocol.KvTransfer;
using Grpc.Core;

namespace DisaggServing.Worker.Tests.Support;

public sealed class FakeIndexService(FakeKvTransfer fake) : KvIndex.KvIndexBase
{
    public override Task<PublishReply> Publish(KvEventBatch request, ServerCallContext context)
    {
        fake.Batches.Enqueue(request);
        return Task.FromResult(new PublishReply());
    }
}
