using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging.Abstractions;

namespace DisaggServing.Hosting.Tests;

/// <summary>A resource's environment as the publisher sees it: endpoints appear as manifest expressions such as <c>{decode-0.bindings.http.url}</c>.</summary>
internal static class Env
{
    public static async Task<Dictionary<string, string>> Of(IResource resource)
    {
        var result = await ExecutionConfigurationBuilder.Create(resource).WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), NullLogger.Instance, CancellationToken.None);
        return result.EnvironmentVariables.ToDictionary();
    }
}
