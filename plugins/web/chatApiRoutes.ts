/** The small JSON API behind the chat page: conversations, their history, and a streamed turn. */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ChatPartner, PluginContext } from "@aiclone/plugin-sdk";
import { z } from "zod";
import { ApiError, sendJson } from "./apiError.js";
import { paramName } from "./chatCompletionRequest.js";
import { readJsonBody } from "./requestBody.js";
import { SseStream } from "./sseStream.js";
import { TextCoalescer } from "./textCoalescer.js";

const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function validateConversationId(id: string): string {
  if (!CONVERSATION_ID.test(id)) {
    throw new ApiError(400, "conversation id must be 1–64 letters, digits, '_' or '-'", "conversationId");
  }
  return id;
}

const turnSchema = z.object({ text: z.string().trim().min(1, "text must not be empty").max(32_000) });

/** Who the page talks to: its title and the model id for OpenAI clients. */
export function handleInfo(context: PluginContext<unknown>, res: ServerResponse): void {
  sendJson(res, 200, { clone: context.clone, model: context.clone.id });
}

export async function handleListConversations(context: PluginContext<unknown>, res: ServerResponse) {
  sendJson(res, 200, { conversations: await context.conversations() });
}

export function handleNewConversation(res: ServerResponse): void {
  // Made here, not in the page: crypto.randomUUID is missing in browsers on plain-http LAN addresses.
  sendJson(res, 201, { conversationId: `web-${randomUUID()}` });
}

export async function handleHistory(context: PluginContext<unknown>, res: ServerResponse, id: string) {
  sendJson(res, 200, { conversationId: id, messages: await context.history(validateConversationId(id)) });
}

export async function handleForget(context: PluginContext<unknown>, res: ServerResponse, id: string) {
  await context.forget(validateConversationId(id));
  res.writeHead(204).end();
}

/**
 * One turn, streamed as SSE events: `{type:"text",text}` per piece, then `{type:"done",…}`, or
 * `{type:"error",message}` when the generation fails after the stream began.
 */
export async function handleTurn(
  context: PluginContext<unknown>,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  partner: ChatPartner,
  signal: AbortSignal,
  maxBodyBytes: number,
  streamIntervalMs: number,
): Promise<void> {
  const conversationId = validateConversationId(id);
  const parsed = turnSchema.safeParse(await readJsonBody(req, maxBodyBytes));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = paramName(issue.path) || "body";
    throw new ApiError(400, `${param}: ${issue.message}`, param);
  }
  const sse = new SseStream(res);
  const text = new TextCoalescer((chunk) => sse.send({ type: "text", text: chunk }), streamIntervalMs);
  if (signal.aborted) text.close();
  else signal.addEventListener("abort", () => text.close(), { once: true });
  try {
    const reply = await context.chat(
      { conversationId, partner, text: parsed.data.text },
      { signal, onText: (chunk) => text.push(chunk) },
    );
    text.flush();
    if (signal.aborted) return;
    sse.send({
      type: "done",
      text: reply.text,
      finishReason: reply.finishReason,
      sources: reply.sources.map((s) => ({ source: s.source, score: s.score })),
    });
    sse.end(false);
  } catch (error) {
    text.flush();
    if (!sse.isStarted) throw error;
    context.logger.error({ error: String(error), conversationId }, "chat turn failed mid-stream");
    sse.send({ type: "error", message: "the generation failed" });
    sse.end(false);
  }
}
