namespace DisaggServing.Topology;

/// <summary>Who provisions GPU nodes, which decides the NodePool's <c>nodeClassRef</c> and its label keys.</summary>
public enum NodeClassKind
{
    /// <summary>EKS Auto Mode: <c>eks.amazonaws.com/NodeClass</c>, labels under <c>eks.amazonaws.com/</c>.</summary>
    AutoMode,

    /// <summary>Self-managed Karpenter: <c>karpenter.k8s.aws/EC2NodeClass</c>, labels under <c>karpenter.k8s.aws/</c>.</summary>
    Karpenter,
}
