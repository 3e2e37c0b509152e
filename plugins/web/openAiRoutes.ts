/** The OpenAI-compatible API: `/v1/chat/completions` (streaming and not) and `/v1/models`. */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ChatReply, PluginContext } from "@aiclone/plugin-sdk";
import { ApiError, sendJson } from "./apiError.js";
import { parseChatCompletion } from "./chatCompletionRequest.js";
import { readJsonBody } from "./requestBody.js";
import { SseStream } from "./sseStream.js";
import { TextCoalescer } from "./textCoalescer.js";

/** Seconds since the epoch when the process started: the `created` of the one model served. */
const MODEL_CREATED = Math.floor(Date.now() / 1000);

function modelObject(context: PluginContext<unknown>) {
  return { id: context.clone.id, object: "model", created: MODEL_CREATED, owned_by: "aiclone" };
}

export function handleListModels(context: PluginContext<unknown>, res: ServerResponse): void {
  sendJson(res, 200, { object: "list", data: [modelObject(context)] });
}

export function handleGetModel(context: PluginContext<unknown>, res: ServerResponse, id: string): void {
  if (id !== context.clone.id) throw unknownModel(id, context.clone.id);
  sendJson(res, 200, modelObject(context));
}

function unknownModel(id: string, served: string): ApiError {
  return new ApiError(
    404,
    `The model '${id}' does not exist; this server serves '${served}'`,
    "model",
    "model_not_found",
  );
}

// The engine finishes with "abort" when cut short; OpenAI has no such reason and the client is usually gone.
const finishReason = (reply: ChatReply) => (reply.finishReason === "length" ? "length" : "stop");

const usageOf = (reply: ChatReply) => ({
  prompt_tokens: reply.promptTokens,
  completion_tokens: reply.completionTokens,
  total_tokens: reply.promptTokens + reply.completionTokens,
});

/**
 * `retrieval`: the caller presented the web plugin's token, so the person's documents may answer it. A
 * token-less loopback server answers any process on the machine: from the persona alone.
 */
export async function handleChatCompletions(
  context: PluginContext<unknown>,
  req: IncomingMessage,
  res: ServerResponse,
  signal: AbortSignal,
  options: { maxBodyBytes: number; retrieval: boolean; streamIntervalMs: number },
): Promise<void> {
  const request = parseChatCompletion(await readJsonBody(req, options.maxBodyBytes));
  if (request.model !== context.clone.id) throw unknownModel(request.model, context.clone.id);
  if (options.retrieval) request.completion.retrieval = true;
  const id = `chatcmpl-${randomUUID().replaceAll("-", "")}`;
  const created = Math.floor(Date.now() / 1000);
  const model = context.clone.id;

  if (!request.stream) {
    const reply = await context.complete(request.completion, { signal });
    if (signal.aborted) return;
    sendJson(res, 200, {
      id,
      object: "chat.completion",
      created,
      model,
      system_fingerprint: null,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: reply.text, refusal: null },
          logprobs: null,
          finish_reason: finishReason(reply),
        },
      ],
      usage: usageOf(reply),
      // Not OpenAI's: the passages of the person's documents the reply drew on (clients ignore the field);
      // their text only when asked for.
      aiclone_sources: reply.sources.map((s) =>
        request.sourceText
          ? { source: s.source, score: s.score, text: s.text }
          : { source: s.source, score: s.score },
      ),
    });
    return;
  }

  const sse = new SseStream(res);
  const chunk = (delta: Record<string, string>, finish: string | null) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(request.includeUsage ? { usage: null } : {}),
  });
  let roleSent = false;
  const sendRole = () => {
    if (roleSent) return;
    roleSent = true;
    sse.send(chunk({ role: "assistant", content: "" }, null));
  };
  const text = new TextCoalescer((content) => {
    sendRole();
    sse.send(chunk({ content }, null));
  }, options.streamIntervalMs);
  if (signal.aborted) text.close();
  else signal.addEventListener("abort", () => text.close(), { once: true });
  let reply: ChatReply;
  try {
    reply = await context.complete(request.completion, { signal, onText: (chunk) => text.push(chunk) });
    text.flush();
  } catch (error) {
    text.flush();
    // Before the first event the caller still gets a proper status; after it, OpenAI's in-stream error.
    if (!sse.isStarted) throw error;
    context.logger.error({ error: String(error) }, "chat completion failed mid-stream");
    sse.send(new ApiError(500, "the generation failed").body);
    sse.end(false);
    return;
  }
  if (signal.aborted) return;
  sendRole();
  sse.send(chunk({}, finishReason(reply)));
  if (request.includeUsage) {
    sse.send({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      system_fingerprint: null,
      choices: [],
      usage: usageOf(reply),
    });
  }
  sse.end();
}
