using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>
/// Routing by DisaggregatedSet revision. During a rollout the DisaggregatedSet controller runs the old and the new
/// revision side by side (one LeaderWorkerSet per role and revision) and, once a revision is ready on every role,
/// publishes one headless Service per role and revision, labelled <c>disaggregatedset.x-k8s.io/name</c>,
/// <c>…/role</c> and <c>…/revision</c>. A prefill of one revision must never hand KV to a decode of another (model,
/// dtype, vLLM version or layout may differ; NIXL's compatibility check rejects the pair). The router reads those
/// Services' EndpointSlices (which carry the Service's labels) and pairs prefill and decode of one revision only, so
/// it needs a ServiceAccount allowed to list EndpointSlices in the namespace, and the set's name.
/// </summary>
internal static class RevisionRouting
{
    /// <summary>The DisaggregatedSet controller's label with the set's name, on its LeaderWorkerSets, Services and pods.</summary>
    public const string SetNameLabel = "disaggregatedset.x-k8s.io/name";

    /// <summary>The controller's label with the revision hash.</summary>
    public const string RevisionLabel = "disaggregatedset.x-k8s.io/revision";

    /// <summary>The controller's label with the role name.</summary>
    public const string RoleLabel = "disaggregatedset.x-k8s.io/role";

    /// <summary>Name of the router's ServiceAccount, Role and RoleBinding for revision discovery.</summary>
    public const string Name = "router-revisions";

    /// <summary>The router's setting naming the DisaggregatedSet whose revisions it pairs.</summary>
    public const string SetEnv = "Router__Revisions__DisaggregatedSet";

    /// <summary>The router's setting naming the namespace to list EndpointSlices in.</summary>
    public const string NamespaceEnv = "Router__Revisions__Namespace";

    /// <summary>True when the topology writes a DisaggregatedSet, so the router routes by revision.</summary>
    public static bool Applies(ManifestContext context) => context.Spec.Pools.Any(context.InDisaggregatedSet);

    /// <summary>The router's ServiceAccount, a Role that may read EndpointSlices, and their binding.</summary>
    public static object[] RbacObjects(ManifestContext context)
    {
        var spec = context.Spec;
        var labels = Labels.ForApp(spec, "disagg-router", $"{spec.Name}-{ControlPlaneBuilder.RouterName}", "router", spec.Router.Image);
        V1ObjectMeta Meta() => EngineWorkloadBuilder.Meta(context, Name, labels);
        return
        [
            new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = Meta() },
            new V1Role
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "Role",
                Metadata = Meta(),
                Rules = [new V1PolicyRule { ApiGroups = ["discovery.k8s.io"], Resources = ["endpointslices"], Verbs = ["get", "list", "watch"] }],
            },
            new V1RoleBinding
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "RoleBinding",
                Metadata = Meta(),
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = Name },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = Name, NamespaceProperty = spec.Namespace }],
            },
        ];
    }

    /// <summary>
    /// Points the router at the set: its ServiceAccount (with a token: it calls the API server) and the set's name and
    /// namespace. A no-op for topologies without a DisaggregatedSet.
    /// </summary>
    public static void Apply(ManifestContext context, V1Deployment router)
    {
        if (!Applies(context)) return;
        var pod = router.Spec.Template.Spec;
        pod.ServiceAccountName = Name;
        pod.AutomountServiceAccountToken = true;
        var container = pod.Containers[0];
        container.Env ??= [];
        container.Env.Add(EngineEnv.Var(SetEnv, context.Spec.Name));
        container.Env.Add(EngineEnv.Var(NamespaceEnv, context.Spec.Namespace));
    }
}
