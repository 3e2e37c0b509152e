import { z } from "zod";

/** An owner's account stream: the owner and their API keys (only the key's hash is ever recorded). */
export const ownerEventSchemas = {
  OwnerCreated: z.object({ ownerId: z.string().min(1), name: z.string() }),
  ApiKeyCreated: z.object({
    ownerId: z.string().min(1),
    keyId: z.string().min(1),
    name: z.string(),
    /** sha256 of the whole secret token, hex. */
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    /** The first characters of the token, shown so a user can tell keys apart. */
    prefix: z.string(),
  }),
  ApiKeyRevoked: z.object({ ownerId: z.string().min(1), keyId: z.string().min(1) }),
} as const;

type Schemas = typeof ownerEventSchemas;
export type OwnerEventType = keyof Schemas;
export type OwnerEvent = { [T in OwnerEventType]: { type: T; data: z.infer<Schemas[T]> } }[OwnerEventType];

export const isOwnerEventType = (type: string): type is OwnerEventType =>
  Object.hasOwn(ownerEventSchemas, type);

export function parseOwnerEvent(type: string, data: unknown): OwnerEvent {
  if (!isOwnerEventType(type)) throw new Error(`unknown owner event type: ${type}`);
  return { type, data: ownerEventSchemas[type].parse(data) } as OwnerEvent;
}
