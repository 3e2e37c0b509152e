import type { PersonalDataSealer } from "../crypto/personalDataSealer.js";
import { SEALED_FIELD } from "../crypto/personalDataSealer.js";
import type {
  BatchHandler,
  BusMessage,
  DeliveredMessage,
  EventBus,
  MessageHandler,
  SubscribeOptions,
  Subscription,
} from "./eventBus.js";
import type { EventEnvelope } from "./eventEnvelope.js";

/** Cheap test before any work: only relayed events with sealed fields need opening. */
function sealedEnvelope(value: unknown): EventEnvelope | null {
  const envelope = value as Partial<EventEnvelope> | null;
  const data = envelope?.event?.data as Record<string, unknown> | undefined;
  return envelope?.schema === "aiclone.event" &&
    typeof envelope.event?.streamId === "string" &&
    typeof envelope.event.id === "string" &&
    typeof data?.[SEALED_FIELD] === "string"
    ? (envelope as EventEnvelope)
    : null;
}

/**
 * A bus whose event envelopes travel with their personal fields sealed (as the relay read them from the
 * log) and are opened for each consumer on delivery, so Kafka's retained logs hold no readable personal
 * data and consumers see plain events. Other messages pass through untouched.
 */
export class OpeningEventBus implements EventBus {
  constructor(
    private readonly inner: EventBus,
    private readonly sealer: PersonalDataSealer,
  ) {}

  publish(topic: string, messages: BusMessage[]): Promise<void> {
    return this.inner.publish(topic, messages);
  }

  subscribe(topic: string, options: SubscribeOptions, handler: MessageHandler): Promise<Subscription> {
    return this.inner.subscribe(topic, options, async (message) => handler(await this.opened(message)));
  }

  subscribeBatch(topic: string, options: SubscribeOptions, handler: BatchHandler): Promise<Subscription> {
    return this.inner.subscribeBatch(topic, options, async (messages) =>
      handler(await Promise.all(messages.map((message) => this.opened(message)))),
    );
  }

  private async opened(message: DeliveredMessage): Promise<DeliveredMessage> {
    const envelope = sealedEnvelope(message.value);
    if (!envelope) return message;
    const { event } = envelope;
    const data = await this.sealer.open(event.streamId, event);
    return { ...message, value: { ...envelope, event: { ...event, data } } };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
