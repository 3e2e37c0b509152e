import type { Decider } from "../decider.js";
import { cloneStreamId } from "../ids.js";
import type { CloneCommand } from "./commands.js";
import { blindTestDeciders } from "./decide/blindTestDecider.js";
import { correctionsDeciders } from "./decide/correctionsDecider.js";
import { datasetDeciders } from "./decide/datasetDecider.js";
import { existenceDeciders } from "./decide/existenceDecider.js";
import { type CommandDeciders, requireLiveClone } from "./decide/guards.js";
import { personaDeciders } from "./decide/personaDecider.js";
import { publishingDeciders } from "./decide/publishingDecider.js";
import { sourcesDeciders } from "./decide/sourcesDecider.js";
import { tokensDeciders } from "./decide/tokensDecider.js";
import { trainingDeciders } from "./decide/trainingDecider.js";
import { type CloneEvent, parseCloneEvent } from "./events.js";
import { evolveClone } from "./evolve.js";
import { type CloneState, initialCloneState } from "./state.js";

/**
 * Every command type has its decider in exactly one part of the lifecycle (decide/*Decider.ts); the
 * type below fails to compile when a command has none.
 */
const deciders: CommandDeciders<CloneCommand["type"]> = {
  ...existenceDeciders,
  ...personaDeciders,
  ...sourcesDeciders,
  ...datasetDeciders,
  ...trainingDeciders,
  ...publishingDeciders,
  ...tokensDeciders,
  ...blindTestDeciders,
  ...correctionsDeciders,
};

/** Only CreateClone acts on a clone that does not exist yet; every other command needs a live clone. */
export function decideClone(command: CloneCommand, state: CloneState): CloneEvent[] {
  if (command.type !== "CreateClone") requireLiveClone(command, state);
  const decide = deciders[command.type] as (command: CloneCommand, state: CloneState) => CloneEvent[];
  return decide(command, state);
}

export const cloneDecider: Decider<CloneCommand, CloneEvent, CloneState> = {
  initialState: initialCloneState,
  evolve: evolveClone,
  decide: decideClone,
};

/** Where a clone command goes and how its stream reads back: what a command sender needs besides its sender. */
export const cloneCommandRoute = {
  decider: cloneDecider,
  parse: parseCloneEvent,
  streamOf: (command: CloneCommand): string => cloneStreamId(command.cloneId),
};
