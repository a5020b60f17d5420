namespace DisaggServing.Router.FlowControl;

/// <summary>What flow control knows of a request: whose it is, how urgent, how big, and until when it may wait.</summary>
/// <param name="Tenant">Fairness key (an API key's digest, a header's value, or <c>anonymous</c>).</param>
/// <param name="Priority">Higher first; negative is sheddable.</param>
/// <param name="Bytes">Body size the request holds while it waits.</param>
/// <param name="Deadline">The client's own dispatch deadline (TimeProvider timestamp), if it gave one.</param>
public readonly record struct FlowTicket(string Tenant, int Priority, long Bytes, long? Deadline = null);
