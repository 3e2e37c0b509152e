import { z } from "zod";
import type { RecordedEvent } from "../infra/eventstore/eventStore.js";

/** Announced after a read model took an event; GraphQL subscriptions are fed from this topic. */
export const readModelUpdatesTopic = "read-model-updates";

export interface ReadModelUpdate {
  cloneId: string;
  event: RecordedEvent;
}

const schema = z.object({
  cloneId: z.string().min(1),
  event: z.object({
    id: z.string(),
    type: z.string(),
    streamId: z.string(),
    revision: z.number().int(),
    position: z.string(),
    data: z.unknown(),
    metadata: z.object({ principal: z.string(), timestamp: z.string() }).catchall(z.unknown()),
  }),
});

export const parseReadModelUpdate = (value: unknown): ReadModelUpdate =>
  schema.parse(value) as ReadModelUpdate;
