import type { CloneEvent, CloneEventType } from "../../domain/index.js";
import type { CloneView } from "../views.js";

export type EventOf<T extends CloneEventType> = Extract<CloneEvent, { type: T }>;

/**
 * What one event does to the clone view. `view` already carries the event's revision, stage and time;
 * `at` is the event's timestamp (never the clock), for the fields that record when something happened.
 */
export type ViewProjection<T extends CloneEventType> = (
  view: CloneView,
  event: EventOf<T>,
  at: string,
) => CloneView;

/** One part of the lifecycle projects these events; the dispatcher checks every type has exactly one. */
export type ViewProjections<T extends CloneEventType> = { [K in T]: ViewProjection<K> };
