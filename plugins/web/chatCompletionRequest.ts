import type { ChatMessage, CompletionRequest } from "@aiclone/plugin-sdk";
import { z } from "zod";
import { ApiError } from "./apiError.js";

const textPart = z.object({ type: z.literal("text"), text: z.string() });

const messageSchema = z.object({
  // "developer" is OpenAI's newer name for the system role.
  role: z.enum(["system", "developer", "user", "assistant"]),
  content: z.union([z.string(), z.array(textPart).min(1)]),
  name: z.string().optional(),
});

const nullish = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

/** The fields of OpenAI's chat completion request this server honours; unknown fields are ignored. */
const chatCompletionSchema = z.object({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1, "at least one message is required"),
  stream: nullish(z.boolean()),
  stream_options: nullish(z.object({ include_usage: z.boolean().optional() })),
  max_tokens: nullish(z.number().int().positive()),
  max_completion_tokens: nullish(z.number().int().positive()),
  temperature: nullish(z.number().min(0).max(2)),
  top_p: nullish(z.number().gt(0).max(1)),
  stop: nullish(z.union([z.string(), z.array(z.string()).max(4)])),
  n: nullish(z.literal(1, "only n=1 is supported")),
  seed: nullish(z.number().int()),
  /** Not OpenAI's: put the passages' text into `aiclone_sources` (only where retrieval is allowed). */
  aiclone_source_text: nullish(z.boolean()),
});

export interface ParsedChatCompletion {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  /** The caller asked for the passages' text in `aiclone_sources`. */
  sourceText: boolean;
  completion: CompletionRequest;
}

/** `["messages", 1, "content"]` → `messages[1].content`, as OpenAI names a bad parameter. */
export function paramName(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (name, key) =>
      typeof key === "number" ? `${name}[${key}]` : name ? `${name}.${String(key)}` : String(key),
    "",
  );
}

/** Validates a request body; throws an ApiError naming the first bad field. */
export function parseChatCompletion(body: unknown): ParsedChatCompletion {
  const parsed = chatCompletionSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = paramName(issue.path);
    throw new ApiError(400, `${param || "body"}: ${issue.message}`, param || null, "invalid_value");
  }
  const r = parsed.data;
  const messages: ChatMessage[] = r.messages.map((m) => ({
    role: m.role === "developer" ? "system" : m.role,
    content: typeof m.content === "string" ? m.content : m.content.map((part) => part.text).join(""),
  }));
  // Retrieval is the route's decision (only for a caller with the web plugin's token), not the body's.
  const completion: CompletionRequest = { messages };
  const maxTokens = r.max_completion_tokens ?? r.max_tokens;
  if (maxTokens != null) completion.maxTokens = maxTokens;
  if (r.temperature != null) completion.temperature = r.temperature;
  if (r.top_p != null) completion.topP = r.top_p;
  if (r.seed != null) completion.seed = r.seed;
  if (r.stop != null) completion.stop = typeof r.stop === "string" ? [r.stop] : r.stop;
  return {
    model: r.model,
    stream: r.stream === true,
    includeUsage: r.stream_options?.include_usage === true,
    sourceText: r.aiclone_source_text === true,
    completion,
  };
}
