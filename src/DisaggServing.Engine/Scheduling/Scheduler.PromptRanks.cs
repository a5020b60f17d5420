namespace DisaggServing.Engine.Scheduling;

// Attention-DP ranks' own token budgets for whole prompts (SchedulerConfig.PromptRanks).
public sealed partial class Scheduler
{
    // Tokens each attention-DP rank has left this step (SchedulerConfig.PromptRanks); null with one shared budget.
    private readonly int[]? _rankRoom;

    // Shares the step's budget among the ranks, the tokens already scheduled (decodes) spread evenly over them.
    private void ShareBudgetAmongRanks(int budget)
    {
        var rooms = _rankRoom!;
        var used = Config.MaxNumBatchedTokens - budget;
        var share = Config.MaxNumBatchedTokens / rooms.Length;
        for (var i = 0; i < rooms.Length; i++)
            rooms[i] = share - used / rooms.Length - (i < used % rooms.Length ? 1 : 0);
    }

    // The rank with the most room left.
    private int RoomiestRank()
    {
        var rooms = _rankRoom!;
        var best = 0;
        for (var i = 1; i < rooms.Length; i++)
            if (rooms[i] > rooms[best]) best = i;
        return best;
    }
}
