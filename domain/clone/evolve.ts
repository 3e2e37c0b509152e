import type { CloneEvent, CloneEventType } from "./events.js";
import { blindTestEvolution } from "./evolve/blindTestEvolution.js";
import { correctionsEvolution } from "./evolve/correctionsEvolution.js";
import { datasetEvolution } from "./evolve/datasetEvolution.js";
import type { EventEvolution, EventEvolutions } from "./evolve/evolution.js";
import { existenceEvolution } from "./evolve/existenceEvolution.js";
import { personaEvolution } from "./evolve/personaEvolution.js";
import { publishingEvolution } from "./evolve/publishingEvolution.js";
import { sourcesEvolution } from "./evolve/sourcesEvolution.js";
import { tokensEvolution } from "./evolve/tokensEvolution.js";
import { trainingEvolution } from "./evolve/trainingEvolution.js";
import type { CloneState, CloneStatus } from "./state.js";

/**
 * Every event type has its evolution in exactly one part of the lifecycle (evolve/*Evolution.ts); the
 * type below fails to compile when an event has none.
 */
const evolutions: EventEvolutions<CloneEventType> = {
  ...existenceEvolution,
  ...personaEvolution,
  ...sourcesEvolution,
  ...datasetEvolution,
  ...trainingEvolution,
  ...publishingEvolution,
  ...tokensEvolution,
  ...blindTestEvolution,
  ...correctionsEvolution,
};

const evolutionOf = (event: CloneEvent) => evolutions[event.type] as EventEvolution<CloneEventType>;

/** The lifecycle stage shown to users; shared by the decider and the read models so they never disagree. */
export function statusAfter(status: CloneStatus, event: CloneEvent): CloneStatus {
  return evolutionOf(event).status(status);
}

export function evolveClone(state: CloneState, event: CloneEvent): CloneState {
  const evolution = evolutionOf(event);
  return evolution.evolve(state, event, evolution.status(state.status));
}
