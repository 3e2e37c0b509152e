import { conflict, DomainError, invalid, notFound } from "../../errors.js";
import { boundedText } from "../../text.js";
import type { CloneCommand } from "../commands.js";
import type { CloneEvent } from "../events.js";
import { cloneLimits } from "../limits.js";
import type { AdapterState, CloneState, TrainingState } from "../state.js";

/** The commands of one type, narrowed from the union. */
export type CommandOf<T extends CloneCommand["type"]> = Extract<CloneCommand, { type: T }>;

/** One part of the lifecycle decides these commands; the dispatcher checks every type has exactly one. */
export type CommandDeciders<T extends CloneCommand["type"]> = {
  [K in T]: (command: CommandOf<K>, state: CloneState) => CloneEvent[];
};

export const SHA256 = /^[0-9a-f]{64}$/;

/** Every command but CreateClone needs a clone that exists, is the actor's and is not deleted. */
export function requireLiveClone(command: CloneCommand, state: CloneState): void {
  if (!state.exists) throw notFound(`clone ${command.cloneId} does not exist`);
  // Another owner's clone is reported as missing, so ids cannot be probed.
  if (command.actor.kind === "owner" && command.actor.ownerId !== state.ownerId)
    throw notFound(`clone ${command.cloneId} does not exist`);
  if (state.deleted) throw notFound(`clone ${command.cloneId} was deleted`);
}

export function requireSystem(command: CloneCommand): void {
  if (command.actor.kind !== "system")
    throw new DomainError("FORBIDDEN", `${command.type} is issued by platform workers only`);
}

/** The run is the clone's current one and is in one of the allowed statuses. */
export function requireRun(state: CloneState, runId: string, allowed: TrainingState["status"][]): void {
  const training = state.training;
  if (!training || training.runId !== runId) throw conflict(`training run ${runId} is not the current run`);
  if (!allowed.includes(training.status))
    throw conflict(`training run ${runId} is ${training.status}, expected ${allowed.join(" or ")}`);
}

export function nonNegativeInt(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw invalid(field, "must be a non-negative integer");
  return value;
}

/** Why something failed or was cancelled: free text, bounded. */
export const reasonText = (value: string): string =>
  boundedText("reason", value, { min: 1, max: cloneLimits.reasonMax, multiline: true });

/** One of the clone's adapters by version; `field` names the input that asked for it. */
export function requireAdapter(state: CloneState, field: string, version: number): AdapterState {
  if (!Number.isInteger(version) || version < 1) throw invalid(field, "must be a positive integer");
  const adapter = state.adapters.find((a) => a.version === version);
  if (!adapter)
    throw conflict(
      state.adapters.length === 0
        ? `adapter version ${version} does not exist: no training has completed yet`
        : `adapter version ${version} does not exist; this clone has versions 1 to ${state.adapterVersion}`,
    );
  return adapter;
}
