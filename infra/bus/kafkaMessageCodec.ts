import type { IHeaders, KafkaMessage, Message } from "kafkajs";
import type { BusMessage } from "./eventBus.js";

/** A broker record as the port sees it, before the handler runs. */
export interface DecodedRecord {
  key: string;
  value: unknown;
  headers: Record<string, string>;
}

export function encodeMessage(message: BusMessage): Message {
  const value = JSON.stringify(message.value);
  // JSON.stringify(undefined) is undefined: the broker would store a tombstone, which is not a message.
  if (value === undefined)
    throw new Error(`bus message value for key ${message.key} is not JSON-serialisable`);
  return { key: message.key, value, ...(message.headers ? { headers: { ...message.headers } } : {}) };
}

export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    if (raw === undefined) continue;
    const last = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (last !== undefined) out[name] = last.toString();
  }
  return out;
}

/** Throws with the reason when the record is not one this bus wrote (no value, not JSON). */
export function decodeRecord(message: KafkaMessage): DecodedRecord {
  const headers = decodeHeaders(message.headers);
  const key = message.key?.toString() ?? "";
  if (message.value === null) throw new Error("record has no value");
  let value: unknown;
  try {
    value = JSON.parse(message.value.toString("utf8"));
  } catch (error) {
    throw new Error(`record value is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { key, value, headers };
}

export interface DeadLetterFacts {
  topic: string;
  partition: number;
  offset: string;
  error: string;
  attempts: number;
}

/**
 * A decodable record goes to the dead-letter topic byte for byte, so a fix can replay it as it was. One that
 * is not JSON is wrapped as a JSON string (marked in a header): the dead-letter topic is read through this
 * bus too, and it would drop what it cannot decode.
 */
export function deadLetterRecord(message: KafkaMessage, facts: DeadLetterFacts, decodable: boolean): Message {
  const value = decodable ? message.value : JSON.stringify(message.value?.toString("utf8") ?? null);
  return {
    key: message.key,
    value,
    headers: {
      ...decodeHeaders(message.headers),
      ...(decodable ? {} : { "x-original-value": "wrapped-as-json-string" }),
      "x-original-topic": facts.topic,
      "x-original-partition": String(facts.partition),
      "x-original-offset": facts.offset,
      "x-error": facts.error,
      "x-attempts": String(facts.attempts),
    },
  };
}
