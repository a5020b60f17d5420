using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Prints where the router listens once it is healthy, beside Aspire's own dashboard banner.</summary>
public static class RouterBannerExtensions
{
    /// <summary>Writes "Router (OpenAI API): URL" to the console when <paramref name="router"/> becomes ready.</summary>
    public static IResourceBuilder<RouterResource> WithRouterUrlBanner(this IResourceBuilder<RouterResource> router)
    {
        ArgumentNullException.ThrowIfNull(router);
        router.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(router.Resource, (_, _) =>
        {
            Console.WriteLine($"      Router (OpenAI API): {router.Resource.HttpEndpoint.Url}/v1");
            return Task.CompletedTask;
        });
        return router;
    }
}
