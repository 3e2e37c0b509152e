import { randomUUID } from "node:crypto";
import {
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from "../eventstore/eventStore.js";

/**
 * Load → decide → append with the loaded revision, retried on a concurrent write. Generic over any
 * decider (structurally typed), so infra knows nothing of the domain it serves.
 */
export interface StreamDecider<C, E extends { type: string; data: unknown }, S> {
  initialState: S;
  evolve(state: S, event: E): S;
  decide(command: C, state: S): E[];
}

export interface CommandOutcome {
  /** The events this command appended ([] when the decider had nothing to do). */
  events: RecordedEvent[];
  /** The stream's last revision after the command (-1: stream still empty). */
  revision: number;
}

export interface CommandContext {
  principal: string;
  correlationId?: string;
  causationId?: string;
  now?: () => Date;
}

export class CommandHandler {
  constructor(
    private readonly store: EventStore,
    private readonly maxRetries = 5,
  ) {}

  async handle<C, E extends { type: string; data: unknown }, S>(
    streamId: string,
    decider: StreamDecider<C, E, S>,
    parse: (type: string, data: unknown) => E,
    command: C,
    context: CommandContext,
  ): Promise<CommandOutcome> {
    for (let attempt = 0; ; attempt++) {
      let state = decider.initialState;
      let revision = -1;
      for await (const recorded of this.store.readStream(streamId)) {
        state = decider.evolve(state, parse(recorded.type, recorded.data));
        revision = recorded.revision;
      }
      const decided = decider.decide(command, state);
      if (decided.length === 0) return { events: [], revision };
      const metadata: EventMetadata = {
        principal: context.principal,
        timestamp: (context.now?.() ?? new Date()).toISOString(),
        ...(context.correlationId ? { correlationId: context.correlationId } : {}),
        ...(context.causationId ? { causationId: context.causationId } : {}),
      };
      const events = decided.map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata }));
      try {
        const result = await this.store.append(streamId, events, revision < 0 ? "no_stream" : revision);
        const first = result.nextRevision - events.length + 1;
        return {
          revision: result.nextRevision,
          // Positions of all but the last event are not reported by every store; consumers rely on the bus for them.
          events: events.map((e, i) => ({ ...e, streamId, revision: first + i, position: result.position })),
        };
      } catch (error) {
        // Someone else wrote in between: decide again on the fresh state.
        if (error instanceof WrongExpectedRevisionError && attempt < this.maxRetries) continue;
        throw error;
      }
    }
  }
}
