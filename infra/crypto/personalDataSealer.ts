import { openValue, sealValue } from "./aesGcm.js";
import type { DataKeyring } from "./dataKeyring.js";

/** Which events carry personal data, and under whose key; supplied by the domain. */
export interface PersonalDataPolicy {
  /** The key scope of a stream (its clone), or null when the stream is not encrypted. */
  scopeOf(streamId: string): string | null;
  /**
   * The event type's personal top-level fields, each with the value it reads as once its key is destroyed
   * (so a shredded event still passes its schema); undefined when the type has none.
   */
  erasedFieldsOf(type: string): Readonly<Record<string, unknown>> | undefined;
}

/** Where an event's sealed personal fields sit in its stored data. */
export const SEALED_FIELD = "sealedPersonalData";

interface SealableEvent {
  id: string;
  type: string;
  data: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Encrypts the personal fields of events before they are stored or published (AES-256-GCM under the
 * stream's data key; the stream, event id and type are authenticated so a sealed value cannot be moved
 * to another event), and opens them on the way out. Once the data key is destroyed, the fields read as
 * their erased values: the log keeps every event and nobody can read what they said.
 */
export class PersonalDataSealer {
  constructor(
    private readonly keyring: DataKeyring,
    private readonly policy: PersonalDataPolicy,
  ) {}

  async seal(streamId: string, event: SealableEvent): Promise<unknown> {
    const scope = this.policy.scopeOf(streamId);
    const erased = this.policy.erasedFieldsOf(event.type);
    if (!scope || !erased || !isRecord(event.data)) return event.data;
    const personal: Record<string, unknown> = {};
    const rest: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(event.data))
      (Object.hasOwn(erased, field) ? personal : rest)[field] = value;
    if (Object.keys(personal).length === 0) return event.data;
    const key = await this.keyring.keyFor(scope);
    const sealed = sealValue(key, Buffer.from(JSON.stringify(personal), "utf8"), aad(streamId, event));
    return { ...rest, [SEALED_FIELD]: sealed.toString("base64") };
  }

  async open(streamId: string, event: SealableEvent): Promise<unknown> {
    if (!isRecord(event.data) || typeof event.data[SEALED_FIELD] !== "string") return event.data;
    const { [SEALED_FIELD]: sealed, ...rest } = event.data;
    const scope = this.policy.scopeOf(streamId);
    const key = scope ? await this.keyring.existingKey(scope) : null;
    if (!key) return { ...rest, ...this.policy.erasedFieldsOf(event.type) };
    const plain = openValue(key, Buffer.from(sealed as string, "base64"), aad(streamId, event));
    if (!plain) throw new Error(`event ${event.id} of ${streamId}: its personal data failed authentication`);
    return { ...rest, ...(JSON.parse(plain.toString("utf8")) as Record<string, unknown>) };
  }
}

const aad = (streamId: string, event: SealableEvent): Buffer =>
  Buffer.from(`${streamId}\n${event.id}\n${event.type}`, "utf8");
