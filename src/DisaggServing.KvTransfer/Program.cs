var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

/// <summary>Entry point (public for WebApplicationFactory-style tests).</summary>
public partial class Program;
