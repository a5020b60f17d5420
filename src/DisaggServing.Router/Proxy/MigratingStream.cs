using System.Text.Json.Nodes;
using DisaggServing.Router.Requests;

namespace DisaggServing.Router.Proxy;

/// <summary>
/// What the client of a streamed request has received so far, across every engine that served it: the response's
/// <c>id</c>, <c>created</c> and <c>model</c> (the first engine's, kept on every later chunk), the generated token ids
/// (vLLM's <c>return_token_ids</c>), and how many of them a continuation carries in its prompt. Rewrites each chunk so
/// the client sees one stream: same id, chat chunks for a chat request continued over <c>/v1/completions</c>, token ids
/// only when the client asked for them, and <c>usage</c> counting what the client received.
/// </summary>
public sealed class MigratingStream(RequestKind kind, bool clientWantsTokenIds)
{
    private readonly List<int> _tokenIds = [];
    private JsonNode? _created;

    /// <summary>The response id the client saw first.</summary>
    public string? Id { get; private set; }

    /// <summary>Generated token ids the client has received, in order.</summary>
    public IReadOnlyList<int> TokenIds => _tokenIds;

    /// <summary>A chunk carried a finish reason: the output is complete (only [DONE] and usage may follow).</summary>
    public bool Finished { get; private set; }

    /// <summary>Generated tokens the current engine got as part of its prompt (0 on the first engine).</summary>
    public int Appended { get; private set; }

    /// <summary>The original prompt's length in tokens, once a continuation learned it.</summary>
    public int? PromptTokens { get; private set; }

    /// <summary>The current engine answers <c>/v1/completions</c> for a chat request: its chunks become chat chunks.</summary>
    public bool ConvertsToChat { get; private set; }

    /// <summary>The next engine continues with <paramref name="promptTokens"/> + <see cref="TokenIds"/> as its prompt.</summary>
    public void Continuing(int promptTokens)
    {
        PromptTokens = promptTokens;
        Appended = _tokenIds.Count;
        ConvertsToChat = kind == RequestKind.Chat;
    }

    /// <summary>
    /// Takes one data event's JSON object: records its token ids and finish, and rewrites it for the client. Returns
    /// whether it carries output (text or tokens), for the migration latency.
    /// </summary>
    public bool Take(JsonObject chunk)
    {
        if (Id is null)
        {
            Id = chunk["id"]?.GetValue<string>();
            _created = chunk["created"]?.DeepClone();
        }
        else
        {
            chunk["id"] = Id;
            if (_created is not null) chunk["created"] = _created.DeepClone();
        }
        if (ConvertsToChat) chunk["object"] = "chat.completion.chunk";

        var output = false;
        if (chunk["choices"] is JsonArray choices)
        {
            for (var i = 0; i < choices.Count; i++)
            {
                if (choices[i] is not JsonObject choice) continue;
                if (choice["token_ids"] is JsonArray ids)
                {
                    foreach (var token in ids)
                        if (token is JsonValue value && value.TryGetValue<int>(out var t)) _tokenIds.Add(t);
                    output |= ids.Count > 0;
                    if (!clientWantsTokenIds) choice.Remove("token_ids");
                }
                if (choice["finish_reason"] is JsonValue finish && finish.GetValueKind() == System.Text.Json.JsonValueKind.String) Finished = true;
                if (ConvertsToChat) choices[i] = ToChatChoice(choice);
            }
        }
        if (Appended > 0 && chunk["usage"] is JsonObject usage) CountReceived(usage);
        return output;
    }

    private JsonObject ToChatChoice(JsonObject completion)
    {
        var text = completion["text"]?.GetValue<string>() ?? "";
        var chat = new JsonObject
        {
            ["index"] = completion["index"]?.DeepClone() ?? 0,
            ["delta"] = new JsonObject { ["content"] = text },
            ["logprobs"] = null,
            ["finish_reason"] = completion["finish_reason"]?.DeepClone(),
        };
        if (completion["stop_reason"] is { } stop) chat["stop_reason"] = stop.DeepClone();
        if (completion["token_ids"] is { } ids) chat["token_ids"] = ids.DeepClone();
        return chat;
    }

    // The engine counted the appended tokens as prompt; the client received them as completion.
    private void CountReceived(JsonObject usage)
    {
        var prompt = usage["prompt_tokens"]?.GetValue<int>() ?? 0;
        var completion = usage["completion_tokens"]?.GetValue<int>() ?? 0;
        var original = PromptTokens ?? Math.Max(0, prompt - Appended);
        usage["prompt_tokens"] = original;
        usage["completion_tokens"] = completion + Appended;
        usage["total_tokens"] = original + completion + Appended;
    }
}
