import type { PersonalDataSealer } from "../crypto/personalDataSealer.js";
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from "./eventStore.js";

/**
 * An event store whose events' personal fields are encrypted before they reach the engine and opened
 * when read back; wraps any adapter. The relay reads the engine underneath, so the bus carries the sealed
 * form too and consumers open it (see OpeningEventBus).
 */
export class SealingEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly sealer: PersonalDataSealer,
  ) {}

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const sealed = await Promise.all(
      events.map(async (e) => ({ ...e, data: await this.sealer.seal(streamId, e) })),
    );
    return this.inner.append(streamId, sealed, expected);
  }

  async *readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    for await (const event of this.inner.readStream(streamId, options)) yield this.open(event);
  }

  async *subscribeToAll(options?: SubscribeOptions): AsyncIterable<RecordedEvent> {
    for await (const event of this.inner.subscribeToAll(options)) yield this.open(event);
  }

  headPosition(): Promise<string | undefined> {
    return this.inner.headPosition();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async open(event: RecordedEvent): Promise<RecordedEvent> {
    return { ...event, data: await this.sealer.open(event.streamId, event) };
  }
}
