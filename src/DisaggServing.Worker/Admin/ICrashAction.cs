namespace DisaggServing.Worker.Admin;

/// <summary>What <c>{"crash": true}</c> does once the response has gone out (tests replace it).</summary>
public interface ICrashAction
{
    void Crash();
}
