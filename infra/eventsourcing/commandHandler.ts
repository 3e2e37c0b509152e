import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
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

export interface CommandHandlerOptions {
  /** Retries of load → decide → append after a concurrent write (default 5). */
  maxRetries?: number;
  /** Streams whose folded state is kept between commands, least recently used dropped (default 1,000). */
  cachedStreams?: number;
  /**
   * A kept state unused this long is dropped (default 60 s), so that personal data erased by a command that
   * another process served does not stay in this one's memory beyond that (the serving process forgets at
   * once: see forget).
   */
  idleMs?: number;
  /** Milliseconds on a monotonic clock (tests set it). */
  clock?: () => number;
}

/** A stream's state as one decider folded it, at a revision. */
interface Folded {
  decider: object;
  state: unknown;
  revision: number;
  /** When a command last used it (the options' clock). */
  usedAt: number;
}

export class CommandHandler {
  private readonly maxRetries: number;
  private readonly cachedStreams: number;
  private readonly idleMs: number;
  private readonly clock: () => number;
  /** Insertion order is recency: a hit is deleted and set again, so the idlest come first. */
  private readonly folded = new Map<string, Folded>();
  /** Pending only while states are kept: drops the idle ones when no command comes to do it. */
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: EventStore,
    options: CommandHandlerOptions = {},
  ) {
    this.maxRetries = options.maxRetries ?? 5;
    this.cachedStreams = options.cachedStreams ?? 1000;
    this.idleMs = options.idleMs ?? 60_000;
    this.clock = options.clock ?? (() => performance.now());
    if (!(this.idleMs > 0)) throw new RangeError(`idleMs must be positive, got ${this.idleMs}`);
  }

  /** How many streams' states are kept now. */
  get keptStreams(): number {
    return this.folded.size;
  }

  /** Drops what is kept of a stream (its personal data erased): the next command folds it from the store. */
  forget(streamId: string): void {
    this.folded.delete(streamId);
  }

  async handle<C, E extends { type: string; data: unknown }, S>(
    streamId: string,
    decider: StreamDecider<C, E, S>,
    parse: (type: string, data: unknown) => E,
    command: C,
    context: CommandContext,
  ): Promise<CommandOutcome> {
    // The stream is append-only, so a state folded to revision r stays true: only the events after r are
    // read, whoever wrote them (another process included). A cached state is never changed in place: the
    // deciders' evolve returns a new state.
    this.sweep();
    const kept = this.folded.get(streamId);
    let state = kept?.decider === decider ? (kept.state as S) : decider.initialState;
    let revision = kept?.decider === decider ? kept.revision : -1;
    for (let attempt = 0; ; attempt++) {
      for await (const recorded of this.store.readStream(
        streamId,
        revision >= 0 ? { fromRevision: revision + 1 } : undefined,
      )) {
        state = decider.evolve(state, parse(recorded.type, recorded.data));
        revision = recorded.revision;
      }
      const decided = decider.decide(command, state);
      if (decided.length === 0) {
        this.keep(streamId, { decider, state, revision });
        return { events: [], revision };
      }
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
        // Folded as a reader would see them: through JSON (as stored) and the stream's parser.
        if (result.nextRevision === revision + events.length) {
          let next = state;
          for (const e of events)
            next = decider.evolve(next, parse(e.type, JSON.parse(JSON.stringify(e.data))));
          this.keep(streamId, { decider, state: next, revision: result.nextRevision });
        } else this.folded.delete(streamId);
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

  private keep(streamId: string, folded: Omit<Folded, "usedAt">): void {
    this.folded.delete(streamId);
    this.folded.set(streamId, { ...folded, usedAt: this.clock() });
    if (this.folded.size > this.cachedStreams) {
      const oldest = this.folded.keys().next().value as string;
      this.folded.delete(oldest);
    }
    this.scheduleSweep();
  }

  /** Drops the states unused for idleMs or longer: the idlest are first, so it stops at the first fresh one. */
  private sweep(): void {
    const now = this.clock();
    for (const [streamId, { usedAt }] of this.folded) {
      if (now - usedAt < this.idleMs) break;
      this.folded.delete(streamId);
    }
  }

  private scheduleSweep(): void {
    if (this.sweepTimer || this.folded.size === 0) return;
    const idlest = this.folded.values().next().value as Folded;
    const due = Math.max(0, idlest.usedAt + this.idleMs - this.clock());
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = undefined;
      this.sweep();
      this.scheduleSweep();
    }, due + 1);
    // Never what keeps a process alive.
    this.sweepTimer.unref();
  }
}
