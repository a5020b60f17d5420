using DisaggServing.KvTransfer.Registry;

namespace DisaggServing.KvTransfer.Tests.Support;

/// <summary>Engine descriptors for tests.</summary>
public static class TestEngines
{
    public static EngineDescriptor Descriptor(string id, string role = EngineRoles.Prefill, string model = "llama-3.3-70b") =>
        new(id, role, model, "node-0", [0, 1], 2, $"http://127.0.0.1:5001/{id}", "127.0.0.1", 6001, 16);

    /// <summary>Chained-looking hashes 1000·seed + 1 .. 1000·seed + count (distinct per seed).</summary>
    public static ulong[] Hashes(int seed, int count) =>
        Enumerable.Range(1, count).Select(i => (ulong)(seed * 1000 + i)).ToArray();
}
