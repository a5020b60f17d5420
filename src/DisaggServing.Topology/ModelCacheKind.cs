namespace DisaggServing.Topology;

/// <summary>Where engine pods find the model's weights.</summary>
public enum ModelCacheKind
{
    /// <summary>
    /// An <c>emptyDir</c> on the node's ephemeral storage (instance store), filled from the Hugging Face Hub at every
    /// start; the pod requests <c>ephemeral-storage</c> for it.
    /// </summary>
    EmptyDir,

    /// <summary>
    /// A PersistentVolumeClaim (for example an FSx for Lustre claim, ReadWriteMany) that outlives pods: the first
    /// start downloads into it, later starts read from it.
    /// </summary>
    PersistentVolumeClaim,

    /// <summary>
    /// Weights streamed from S3 straight into GPU memory by vLLM's Run:ai model streamer
    /// (<c>--load-format=runai_streamer</c>); only a small scratch <c>emptyDir</c> is mounted.
    /// </summary>
    S3,
}
