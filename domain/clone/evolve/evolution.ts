import type { CloneEvent, CloneEventType } from "../events.js";
import type { CloneState, CloneStatus } from "../state.js";

export type EventOf<T extends CloneEventType> = Extract<CloneEvent, { type: T }>;

/** What one event does: to the lifecycle stage shown to users, and to the decider's state. */
export interface EventEvolution<T extends CloneEventType> {
  /** The stage after this event; shared with the read model so the two never disagree. */
  status(current: CloneStatus): CloneStatus;
  /** The state after this event; `status` is what `status()` returned. */
  evolve(state: CloneState, event: EventOf<T>, status: CloneStatus): CloneState;
}

/** One part of the lifecycle evolves these events; the dispatcher checks every type has exactly one. */
export type EventEvolutions<T extends CloneEventType> = { [K in T]: EventEvolution<K> };

/** Stages a dataset event leaves alone: a training in flight stays the headline. */
export const trainingHeadline = (status: CloneStatus): boolean =>
  status === "TRAINING_QUEUED" || status === "TRAINING";

export const unchanged = (status: CloneStatus): CloneStatus => status;
