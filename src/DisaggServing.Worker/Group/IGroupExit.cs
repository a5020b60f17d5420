namespace DisaggServing.Worker.Group;

/// <summary>What a rank does when its group breaks: a pipeline with a stage gone cannot serve, so the process ends.</summary>
public interface IGroupExit
{
    void Exit(string reason);
}
