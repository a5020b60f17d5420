var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

/// <summary>Entry point; internal so that projects referencing this one (tests, benchmarks) keep their own Program.</summary>
internal partial class Program;
