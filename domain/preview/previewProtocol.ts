/**
 * The preview protocol: what the API sends the `preview` role (start a reply of one adapter version, or
 * cancel it) and what the role sends back (the reply's text pieces, then its end), over two bus topics.
 * Both sides validate against these schemas, so a process of another version is refused by name rather
 * than misread. Pure: no bus is touched here.
 */
import { z } from "zod";

/** API → preview role, keyed by the reply id; the role's processes share one consumer group. */
export const PREVIEW_REQUESTS_TOPIC = "preview-requests";
/**
 * Preview role → API, keyed by the reply id (so a reply's pieces keep their order): `accepted`, then `text`
 * pieces, then `done` or `error`. Every API process reads all.
 */
export const PREVIEW_PIECES_TOPIC = "preview-pieces";
/** The consumer group the preview role's processes share: each request is answered once. */
export const PREVIEW_WORKER_GROUP = "preview";

export const previewMessageSchema = z.strictObject({
  role: z.enum(["user", "assistant"]),
  content: z.string(),
});
export type PreviewMessage = z.infer<typeof previewMessageSchema>;

const replyId = z.string().min(1).max(100);

export const previewStartSchema = z.strictObject({
  schema: z.literal("aiclone.preview-request"),
  version: z.literal(1),
  kind: z.literal("start"),
  replyId,
  cloneId: z.string().min(1),
  adapterVersion: z.number().int().positive(),
  /** The adapter.gguf of that version in the artifact store (a training run's output). */
  adapterKey: z.string().min(1),
  /** The registry name of the base model the adapter was trained on. */
  baseModel: z.string().min(1),
  /** The clone's persona as a published bundle would carry it; an empty prompt falls back to the adapter's. */
  persona: z.strictObject({ systemPrompt: z.string(), language: z.string().min(1) }),
  messages: z.array(previewMessageSchema).min(1),
  seed: z.number().int().nonnegative().optional(),
  /** When the API sent it: a request older than the API's start timeout is dropped unanswered. */
  requestedAt: z.iso.datetime(),
});
export type PreviewStart = z.infer<typeof previewStartSchema>;

export const previewCancelSchema = z.strictObject({
  schema: z.literal("aiclone.preview-request"),
  version: z.literal(1),
  kind: z.literal("cancel"),
  replyId,
});
export type PreviewCancel = z.infer<typeof previewCancelSchema>;

export const previewRequestSchema = z.discriminatedUnion("kind", [previewStartSchema, previewCancelSchema]);
export type PreviewRequest = z.infer<typeof previewRequestSchema>;

export const previewFinishReasons = ["stop", "length", "abort"] as const;
export type PreviewFinishReason = (typeof previewFinishReasons)[number];

const pieceBase = {
  schema: z.literal("aiclone.preview-piece"),
  version: z.literal(1),
  replyId,
  /** 0, 1, 2, … per reply: a reader notices a lost or repeated piece. */
  seq: z.number().int().nonnegative(),
};

export const previewPieceSchema = z.discriminatedUnion("kind", [
  /** The first piece: a preview process took the request (it may still be loading the model). */
  z.strictObject({ ...pieceBase, kind: z.literal("accepted") }),
  z.strictObject({ ...pieceBase, kind: z.literal("text"), text: z.string() }),
  z.strictObject({
    ...pieceBase,
    kind: z.literal("done"),
    finishReason: z.enum(previewFinishReasons),
    completionTokens: z.number().int().nonnegative(),
  }),
  z.strictObject({ ...pieceBase, kind: z.literal("error"), message: z.string().min(1) }),
]);
export type PreviewPiece = z.infer<typeof previewPieceSchema>;

type PieceBody =
  | { kind: "accepted" }
  | { kind: "text"; text: string }
  | { kind: "done"; finishReason: PreviewFinishReason; completionTokens: number }
  | { kind: "error"; message: string };

export const previewPiece = (replyId: string, seq: number, body: PieceBody): PreviewPiece =>
  ({ schema: "aiclone.preview-piece", version: 1, replyId, seq, ...body }) as PreviewPiece;

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new Error(`invalid ${what} at ${issue?.path.join(".") || "<root>"}: ${issue?.message}`);
}

/** Throws an error naming the offending field. */
export const parsePreviewRequest = (value: unknown): PreviewRequest =>
  parsed(previewRequestSchema, value, "preview request");
export const parsePreviewPiece = (value: unknown): PreviewPiece =>
  parsed(previewPieceSchema, value, "preview piece");

export interface PreviewMessageLimits {
  maxMessages: number;
  maxMessageChars: number;
}

/**
 * What is wrong with a conversation sent for a preview reply, or null: at least one message, each a
 * user's or the clone's with some text within the limit, at most `maxMessages`, the last one the user's
 * (the reply answers it).
 */
export function previewMessagesProblem(
  messages: readonly PreviewMessage[],
  limits: PreviewMessageLimits,
): { field: string; message: string } | null {
  if (messages.length === 0) return { field: "messages", message: "at least one message is needed" };
  if (messages.length > limits.maxMessages)
    return {
      field: "messages",
      message: `at most ${limits.maxMessages} messages (the conversation has ${messages.length}); start a new one`,
    };
  for (const [i, m] of messages.entries()) {
    if (m.content.trim().length === 0) return { field: `messages.${i}.content`, message: "is empty" };
    if (m.content.length > limits.maxMessageChars)
      return {
        field: `messages.${i}.content`,
        message: `is longer than ${limits.maxMessageChars} characters`,
      };
  }
  if (messages.at(-1)?.role !== "user")
    return { field: "messages", message: "the last message must be the user's: the clone replies to it" };
  return null;
}
