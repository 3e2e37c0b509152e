import { z } from "zod";
import type { RecordedEvent } from "../eventstore/eventStore.js";

/** What the relay puts on the bus: one recorded event, versioned so consumers can refuse what they do not know. */
export const eventEnvelopeSchema = z.object({
  schema: z.literal("aiclone.event"),
  version: z.literal(1),
  event: z.object({
    id: z.string().min(1),
    type: z.string().min(1),
    streamId: z.string().min(1),
    revision: z.number().int().nonnegative(),
    position: z.string(),
    data: z.unknown(),
    metadata: z.object({ principal: z.string(), timestamp: z.string() }).catchall(z.unknown()),
  }),
});
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

export const toEnvelope = (event: RecordedEvent): EventEnvelope => ({
  schema: "aiclone.event",
  version: 1,
  event,
});

/** Throws an error naming the offending field when a message is not a valid envelope. */
export function parseEnvelope(value: unknown): RecordedEvent {
  const result = eventEnvelopeSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid event envelope at ${issue?.path.join(".") || "<root>"}: ${issue?.message}`);
  }
  return result.data.event as RecordedEvent;
}

/** Topics the relay writes, by stream category: `clone-<id>` → `clone-events`, keyed by the id. */
export const topicForStream = (streamId: string): { topic: string; key: string } | null => {
  const dash = streamId.indexOf("-");
  if (dash <= 0) return null;
  return { topic: `${streamId.slice(0, dash)}-events`, key: streamId.slice(dash + 1) };
};
