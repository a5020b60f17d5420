namespace DisaggServing.KvTransfer.KvEvents;

/// <summary>Asks an engine's publisher for the batches it buffered from a sequence number on (vLLM's replay socket).</summary>
internal interface IKvEventReplay
{
    /// <summary>
    /// The buffered batches with sequence ≥ <paramref name="fromSequence"/>, in order, or null when the publisher did not
    /// answer in time. The publisher keeps only its last <c>buffer_steps</c> batches, so the first may be later than asked.
    /// </summary>
    IReadOnlyList<(ulong Sequence, byte[] Payload)>? Fetch(ulong fromSequence);
}
