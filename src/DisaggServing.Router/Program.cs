using DisaggServing.Router.Hosting;

RouterApp.Build(args).Run();

/// <summary>Entry point (public for in-process tests).</summary>
public partial class Program;
