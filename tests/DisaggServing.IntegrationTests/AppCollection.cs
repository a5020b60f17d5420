namespace DisaggServing.IntegrationTests;

/// <summary>Test classes that share one running app (they leave it healthy); each class still runs in turn.</summary>
[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}
