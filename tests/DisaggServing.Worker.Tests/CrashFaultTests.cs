using DisaggServing.Worker.Admin;
using DisaggServing.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DisaggServing.Worker.Tests;

public sealed class CrashFaultTests
{
    [Fact]
    public async Task Crash_answers_first_then_crashes()
    {
        var crash = new RecordingCrash();
        await using var worker = await WorkerHost.StartAsync(["InstantEngine=true"], services => services.AddSingleton<ICrashAction>(crash));

        var (status, _) = await worker.PostAsync("/admin/faults", Json.Of(new { crash = true }));

        Assert.Equal(200, status);
        Assert.True(await crash.Crashed.Task.WaitAsync(WorkerHost.WaitTimeout));
    }

    private sealed class RecordingCrash : ICrashAction
    {
        public TaskCompletionSource<bool> Crashed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Crash() => Crashed.TrySetResult(true);
    }
}
