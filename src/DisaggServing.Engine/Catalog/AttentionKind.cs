namespace DisaggServing.Engine.Catalog;

/// <summary>How a model's attention stores KV.</summary>
public enum AttentionKind
{
    /// <summary>Grouped-query attention: K and V per KV head, sharded across TP ranks.</summary>
    Gqa,

    /// <summary>Multi-head latent attention (DeepSeek): one compressed latent per token, replicated on every TP rank.</summary>
    Mla,
}
