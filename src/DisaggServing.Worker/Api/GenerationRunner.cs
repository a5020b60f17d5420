using System.Diagnostics;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Protocol;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Sse;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Runtime;
using DisaggServing.Worker.Observability;

namespace DisaggServing.Worker.Api;

/// <summary>
/// Runs a validated request on the engine and writes the answer: one JSON object, or server-sent events as
/// tokens come. Headers of a stream go out with its first token, so a request that fails before (a KV load
/// under kv_load_failure_policy=fail) still gets a proper error status. A client that goes away aborts the
/// request in the scheduler, whatever state it is in, so its blocks are freed.
/// </summary>
public sealed class GenerationRunner(EngineHost engine, WorkerSettings settings, ILogger<GenerationRunner> logger)
{
    public async Task RunAsync(HttpContext context, GenerationPlan plan, ResponseFormat format)
    {
        var clientRequestId = context.Request.Headers[HeaderNames.RequestId].FirstOrDefault();
        if (!string.IsNullOrEmpty(clientRequestId))
            context.Response.Headers[HeaderNames.RequestId] = clientRequestId;
        var id = format.IdPrefix + (string.IsNullOrEmpty(clientRequestId) ? Guid.NewGuid().ToString("N") : clientRequestId);
        var parent = Activity.Current?.Context ?? default;
        var job = new GenerationJob(clientRequestId, plan.PromptTokens, plan.OutputTokens, plan.Kind, plan.Remote, parent);
        RequestHandle handle;
        try
        {
            handle = engine.Submit(job);
        }
        catch (ArgumentException e)
        {
            throw OpenAiException.Invalid(e.Message);
        }
        var aborted = context.RequestAborted;
        try
        {
            if (plan.Stream)
                await StreamAsync(context.Response, handle, plan, format, id, aborted).ConfigureAwait(false);
            else
                await WholeAsync(context.Response, handle, plan, format, id, aborted).ConfigureAwait(false);
        }
        catch (Exception e) when (aborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            logger.LogDebug("Client went away from {Id}; aborting it", id);
        }
        finally
        {
            // Every exit but a normal end (client gone, write failed) must give the blocks back.
            engine.Abort(handle);
            RecordSpans(handle);
        }
    }

    private async Task WholeAsync(HttpResponse response, RequestHandle handle, GenerationPlan plan, ResponseFormat format, string id, CancellationToken aborted)
    {
        await foreach (var _ in handle.Tokens.ReadAllAsync(aborted).ConfigureAwait(false))
        {
            // Only the outcome matters for a whole answer.
        }
        RecordSpans(handle);
        var outcome = handle.Outcome!;
        if (outcome.Reason is EngineFinishReason.Error or EngineFinishReason.Abort)
        {
            await ApiResponses.WriteErrorAsync(response, StatusCodes.Status500InternalServerError, Failure(outcome)).ConfigureAwait(false);
            return;
        }
        var done = outcome.OutputTokens >= plan.OutputTokens;
        var body = format.Whole(id, Created(), settings.ModelId, plan.Output.Visible(outcome.OutputTokens),
            done ? plan.Output.FinishReason : FinishReasons.Length, done ? plan.Output.StopReason : null,
            new Usage(plan.PromptTokens.Count, outcome.OutputTokens), outcome.KvTransferParams,
            plan.ReturnTokenIds ? [.. plan.Output.TokenIds.Take(outcome.OutputTokens)] : null);
        await ApiResponses.WriteJsonAsync(response, body).ConfigureAwait(false);
    }

    private async Task StreamAsync(HttpResponse response, RequestHandle handle, GenerationPlan plan, ResponseFormat format, string id, CancellationToken aborted)
    {
        var created = Created();
        var model = settings.ModelId;
        var sent = 0;
        var shown = 0; // characters of the output text sent so far
        var reported = 0; // tokens whose ids were sent so far (return_token_ids)
        var started = false;
        var reader = handle.Tokens;
        while (await reader.WaitToReadAsync(aborted).ConfigureAwait(false))
        {
            var latest = sent;
            while (reader.TryRead(out var count))
                latest = count;
            if (!started)
            {
                started = true;
                response.ContentType = SseWriter.ContentType;
                response.Headers.CacheControl = "no-cache";
                response.Headers["X-Accel-Buffering"] = "no";
                if (format.Opening(id, created, model) is { } opening)
                    await SseWriter.WriteJsonAsync(response.Body, opening, cancellationToken: aborted).ConfigureAwait(false);
            }
            if (latest <= sent)
                continue;
            sent = latest;
            // Tokens that piled up while the client was slow go out as one chunk. Text that may turn out to be the
            // start of a stop string is held back until the output ends (vLLM's stop buffer), so a chunk can be
            // empty: it is skipped, unless it is the last one.
            var done = latest >= plan.OutputTokens;
            var visible = plan.Output.VisibleLength(latest);
            if (visible == shown && !done)
                continue;
            // Token ids go with the text they make (held-back text holds back its tokens too).
            IReadOnlyList<int>? ids = null;
            if (plan.ReturnTokenIds)
            {
                var covered = plan.Output.CoveredTokens(latest);
                ids = [.. plan.Output.TokenIds.Skip(reported).Take(covered - reported)];
                reported = covered;
            }
            await SseWriter.WriteJsonAsync(response.Body, format.Chunk(id, created, model, plan.Output.Text[shown..visible],
                    done ? plan.Output.FinishReason : null, done ? plan.Output.StopReason : null, ids),
                cancellationToken: aborted).ConfigureAwait(false);
            shown = visible;
        }
        RecordSpans(handle);
        var outcome = handle.Outcome!;
        if (outcome.Reason is EngineFinishReason.Error or EngineFinishReason.Abort)
        {
            if (!started)
            {
                await ApiResponses.WriteErrorAsync(response, StatusCodes.Status500InternalServerError, Failure(outcome)).ConfigureAwait(false);
                return;
            }
            await SseWriter.WriteJsonAsync(response.Body, Failure(outcome), cancellationToken: aborted).ConfigureAwait(false);
            await SseWriter.WriteDoneAsync(response.Body, aborted).ConfigureAwait(false);
            return;
        }
        if (plan.IncludeUsage)
            await SseWriter.WriteJsonAsync(response.Body, format.UsageChunk(id, created, model, new Usage(plan.PromptTokens.Count, outcome.OutputTokens)),
                cancellationToken: aborted).ConfigureAwait(false);
        await SseWriter.WriteDoneAsync(response.Body, aborted).ConfigureAwait(false);
    }

    private static ErrorResponse Failure(RequestOutcome outcome) =>
        ErrorResponse.Server(outcome.Error ?? "The request failed.", outcome.ErrorCode ?? "engine_error");

    private static long Created() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>Queue, prefill and decode spans under the request's trace, once it is done (before the last bytes go out).</summary>
    private static void RecordSpans(RequestHandle handle)
    {
        if (!handle.TryClaimSpans() || !WorkerActivity.Source.HasListeners())
            return;
        var parent = handle.Job.Parent;
        var kind = handle.Job.Kind.ToString();
        if (handle.FirstScheduledWall is { } scheduled)
            WorkerActivity.Record("queue", parent, handle.ArrivalWall, scheduled, ("disagg.request.kind", kind));
        if (handle.FirstScheduledWall is { } start && handle.FirstTokenWall is { } first)
            WorkerActivity.Record(handle.Job.Kind == EngineRequestKind.DecodeWithRemoteKv ? "kv_load_and_first_token" : "prefill",
                parent, start, first, ("disagg.request.kind", kind), ("disagg.prompt_tokens", handle.Job.PromptTokens.Count));
        if (handle.FirstTokenWall is { } firstToken && handle.FinishedWall is { } end && handle.Outcome?.OutputTokens > 1)
            WorkerActivity.Record("decode", parent, firstToken, end, ("disagg.request.kind", kind), ("disagg.output_tokens", handle.Outcome.OutputTokens));
    }
}
