using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>
/// Adds a .NET project as a resource of our own type: what <c>AddProject&lt;T&gt;</c> does (the project metadata and
/// Aspire's .NET launch defaults: OpenTelemetry, Kestrel endpoints), for a <see cref="ProjectResource"/> subclass.
/// </summary>
internal static class ProjectResourceFactory
{
    public static IResourceBuilder<TResource> AddTypedProject<TProject, TResource>(this IDistributedApplicationBuilder builder, TResource resource)
        where TProject : IProjectMetadata, new()
        where TResource : ProjectResource
    {
        // Aspire marks the defaults experimental (ASPIREPROJECTS001); they are exactly what AddProject applies.
#pragma warning disable ASPIREPROJECTS001
        return builder.AddResource(resource)
            .WithAnnotation(new TProject())
            .WithProjectDefaults(new ProjectResourceOptions { ExcludeLaunchProfile = true });
#pragma warning restore ASPIREPROJECTS001
    }
}
