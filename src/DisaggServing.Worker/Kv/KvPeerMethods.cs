using DisaggServing.Protocol.KvPeer;
using Google.Protobuf;
using Grpc.Core;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// The <c>KvPeer</c> service's methods with marshallers of our own for the bulk bytes, on the wire exactly as
/// kv_peer.proto says (any protobuf client or server interoperates): the serving side writes each
/// <c>KvBlockChunk</c>'s payload straight into the response (<see cref="OutgoingKvChunk"/>) and the pulling side checks
/// it in gRPC's receive buffer (<see cref="ReceivedKvChunk"/>), so neither copies it through a protobuf message.
/// </summary>
public static class KvPeerMethods
{
    private static readonly Marshaller<PullBlocksRequest> PullBlocksRequestMarshaller = Protobuf(PullBlocksRequest.Parser);
    private static readonly Marshaller<LeaseRequest> LeaseRequestMarshaller = Protobuf(LeaseRequest.Parser);
    private static readonly Marshaller<LeaseReply> LeaseReplyMarshaller = Protobuf(LeaseReply.Parser);

    /// <summary>PullBlocks as the prefill side serves it.</summary>
    public static readonly Method<PullBlocksRequest, OutgoingKvChunk> ServePullBlocks = new(
        MethodType.ServerStreaming, KvPeer.Descriptor.FullName, "PullBlocks", PullBlocksRequestMarshaller,
        new Marshaller<OutgoingKvChunk>(OutgoingKvChunk.Serialize, _ => throw new NotSupportedException("Outgoing chunks are not received.")));

    /// <summary>PullBlocks as the decode side calls it.</summary>
    public static readonly Method<PullBlocksRequest, ReceivedKvChunk> PullBlocks = new(
        MethodType.ServerStreaming, KvPeer.Descriptor.FullName, "PullBlocks", PullBlocksRequestMarshaller,
        new Marshaller<ReceivedKvChunk>((_, _) => throw new NotSupportedException("Received chunks are not sent."), ReceivedKvChunk.Deserialize));

    /// <summary>ReleaseLease (plain protobuf).</summary>
    public static readonly Method<LeaseRequest, LeaseReply> ReleaseLease = new(
        MethodType.Unary, KvPeer.Descriptor.FullName, "ReleaseLease", LeaseRequestMarshaller, LeaseReplyMarshaller);

    /// <summary>ExtendLease (plain protobuf).</summary>
    public static readonly Method<LeaseRequest, LeaseReply> ExtendLease = new(
        MethodType.Unary, KvPeer.Descriptor.FullName, "ExtendLease", LeaseRequestMarshaller, LeaseReplyMarshaller);

    private static Marshaller<T> Protobuf<T>(MessageParser<T> parser) where T : IMessage<T> => new(
        (message, context) =>
        {
            context.SetPayloadLength(message.CalculateSize());
            message.WriteTo(context.GetBufferWriter());
            context.Complete();
        },
        context => parser.ParseFrom(context.PayloadAsReadOnlySequence()));
}
