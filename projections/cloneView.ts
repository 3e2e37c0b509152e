import { type CloneEvent, type CloneEventType, statusAfter } from "../domain/index.js";
import { blindTestProjections } from "./cloneView/blindTestProjection.js";
import { correctionsProjections } from "./cloneView/correctionsProjection.js";
import { datasetProjections } from "./cloneView/datasetProjection.js";
import { createdView, existenceProjections } from "./cloneView/existenceProjection.js";
import { personaProjections } from "./cloneView/personaProjection.js";
import { publishingProjections } from "./cloneView/publishingProjection.js";
import { sourcesProjections } from "./cloneView/sourcesProjection.js";
import { tokensProjections } from "./cloneView/tokensProjection.js";
import { trainingProjections } from "./cloneView/trainingProjection.js";
import type { ViewProjection, ViewProjections } from "./cloneView/viewProjection.js";
import type { CloneView } from "./views.js";

export interface EventContext {
  revision: number;
  timestamp: string;
}

/**
 * Every event type but CloneCreated (which starts the view) has its projection in exactly one part of
 * the lifecycle (cloneView/*Projection.ts); the type below fails to compile when an event has none.
 */
const projections: ViewProjections<Exclude<CloneEventType, "CloneCreated">> = {
  ...existenceProjections,
  ...personaProjections,
  ...sourcesProjections,
  ...datasetProjections,
  ...trainingProjections,
  ...publishingProjections,
  ...tokensProjections,
  ...blindTestProjections,
  ...correctionsProjections,
};

/**
 * The clone read model as a pure function of its events: live updates and rebuilds from event zero
 * both go through here, so they cannot disagree. Times come from the events, never from the clock.
 */
export function applyCloneEvent(
  current: CloneView | null,
  event: CloneEvent,
  context: EventContext,
): CloneView | null {
  const at = context.timestamp;
  if (event.type === "CloneCreated") return createdView(event, context.revision, at);
  if (!current) return null;
  const view: CloneView = {
    ...current,
    _rev: context.revision,
    status: statusAfter(current.status, event),
    updatedAt: at,
  };
  const project = projections[event.type] as ViewProjection<CloneEventType>;
  return project(view, event, at);
}
