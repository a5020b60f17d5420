namespace DisaggServing.Engine.Simulation;

/// <summary>Packs replicas onto nodes in order: a replica goes on the current node if its GPUs fit, else on a new one; a replica of a node or more takes whole nodes.</summary>
internal sealed class NodePacker(int gpusPerNode)
{
    private int _node, _used;

    /// <summary>Places a replica of <paramref name="gpus"/> GPUs and returns its (first) node.</summary>
    public int Place(int gpus)
    {
        if (gpus >= gpusPerNode)
        {
            NextNode();
            var first = _node;
            _node += (gpus + gpusPerNode - 1) / gpusPerNode;
            return first;
        }
        if (_used + gpus > gpusPerNode) NextNode();
        _used += gpus;
        return _node;
    }

    /// <summary>Starts a fresh node for what follows (if the current one has anything on it).</summary>
    public void NextNode()
    {
        if (_used == 0) return;
        _node++;
        _used = 0;
    }
}
