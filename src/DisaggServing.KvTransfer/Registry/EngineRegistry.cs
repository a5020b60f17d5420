namespace DisaggServing.KvTransfer.Registry;

/// <summary>
/// The engines that are alive: register (add or replace by id), heartbeat (with load), deregister, list, and
/// drop the ones silent past <see cref="RegistryTimings.Expiry"/>. Time comes from a <see cref="TimeProvider"/>,
/// so tests drive expiry with a virtual clock. Thread-safe; membership changes reach the listeners under the lock.
/// </summary>
public sealed class EngineRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _engines = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly IEngineMembershipListener[] _listeners;

    /// <summary>Creates an empty registry.</summary>
    public EngineRegistry(TimeProvider time, RegistryTimings timings, IEnumerable<IEngineMembershipListener>? listeners = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(timings);
        _time = time;
        Timings = timings;
        _listeners = listeners?.ToArray() ?? [];
    }

    /// <summary>Heartbeat interval and expiry.</summary>
    public RegistryTimings Timings { get; }

    /// <summary>Registered engines (expired ones not yet swept included).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _engines.Count;
        }
    }

    /// <summary>Adds <paramref name="engine"/>, or replaces the engine of the same id (whose indexed blocks are dropped).</summary>
    /// <returns>True when an engine of that id was replaced.</returns>
    /// <exception cref="ArgumentException">The id is empty or the role is not prefill, decode or both.</exception>
    public bool Register(EngineDescriptor engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (string.IsNullOrWhiteSpace(engine.EngineId))
            throw new ArgumentException("engine_id is required.", nameof(engine));
        var role = EngineRoles.Normalize(engine.Role)
            ?? throw new ArgumentException($"role '{engine.Role}' is not one of prefill, decode, both.", nameof(engine));
        engine = engine with { Role = role, GpuIndices = engine.GpuIndices.ToArray() };
        lock (_gate)
        {
            var replaced = _engines.ContainsKey(engine.EngineId);
            _engines[engine.EngineId] = new Entry(engine, _time.GetTimestamp());
            foreach (var listener in _listeners)
                listener.EngineRegistered(engine.EngineId);
            return replaced;
        }
    }

    /// <summary>Records a heartbeat and the engine's load.</summary>
    /// <returns>False when the engine is unknown or already past its expiry (it is dropped then): it must re-register.</returns>
    public bool Heartbeat(string engineId, EngineLoadReport load)
    {
        ArgumentNullException.ThrowIfNull(engineId);
        lock (_gate)
        {
            if (!_engines.TryGetValue(engineId, out var entry))
                return false;
            var now = _time.GetTimestamp();
            if (IsExpired(entry, now))
            {
                RemoveLocked(engineId, EngineRemovalReason.Expired);
                return false;
            }

            entry.LastHeartbeat = now;
            entry.Load = load;
            return true;
        }
    }

    /// <summary>Removes the engine and its indexed blocks.</summary>
    /// <returns>False when it was not registered.</returns>
    public bool Deregister(string engineId)
    {
        ArgumentNullException.ThrowIfNull(engineId);
        lock (_gate)
            return RemoveLocked(engineId, EngineRemovalReason.Deregistered);
    }

    /// <summary>The live engines passing the filters (empty or null = any; see <see cref="EngineRoles.Matches"/>), ordered by id.</summary>
    public IReadOnlyList<RegisteredEngine> List(string? role = null, string? model = null)
    {
        var result = new List<RegisteredEngine>();
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            foreach (var entry in _engines.Values)
            {
                if (IsExpired(entry, now)
                    || !EngineRoles.Matches(entry.Engine.Role, role)
                    || (!string.IsNullOrEmpty(model) && !string.Equals(entry.Engine.Model, model, StringComparison.Ordinal)))
                    continue;
                result.Add(Snapshot(entry, now));
            }
        }

        result.Sort(static (a, b) => string.CompareOrdinal(a.Engine.EngineId, b.Engine.EngineId));
        return result;
    }

    /// <summary>The engine of id <paramref name="engineId"/>, when registered and live.</summary>
    public RegisteredEngine? Find(string engineId)
    {
        ArgumentNullException.ThrowIfNull(engineId);
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            return _engines.TryGetValue(engineId, out var entry) && !IsExpired(entry, now) ? Snapshot(entry, now) : null;
        }
    }

    /// <summary>Drops every engine silent for longer than the expiry (from the registry and, through the listeners, the index).</summary>
    /// <returns>The ids dropped.</returns>
    public IReadOnlyList<string> RemoveExpired()
    {
        List<string>? expired = null;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            foreach (var (id, entry) in _engines)
            {
                if (IsExpired(entry, now))
                    (expired ??= []).Add(id);
            }

            if (expired is null)
                return [];
            foreach (var id in expired)
                RemoveLocked(id, EngineRemovalReason.Expired);
        }

        return expired;
    }

    private bool IsExpired(Entry entry, long now) => _time.GetElapsedTime(entry.LastHeartbeat, now) > Timings.Expiry;

    private RegisteredEngine Snapshot(Entry entry, long now) =>
        new(entry.Engine, entry.Load, _time.GetElapsedTime(entry.LastHeartbeat, now));

    private bool RemoveLocked(string engineId, EngineRemovalReason reason)
    {
        if (!_engines.Remove(engineId))
            return false;
        foreach (var listener in _listeners)
            listener.EngineRemoved(engineId, reason);
        return true;
    }

    private sealed class Entry(EngineDescriptor engine, long registeredAt)
    {
        public EngineDescriptor Engine { get; } = engine;

        public long LastHeartbeat { get; set; } = registeredAt;

        public EngineLoadReport Load { get; set; } = EngineLoadReport.Idle;
    }
}
