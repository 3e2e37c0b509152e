import { conflict, invalid } from "../../errors.js";
import { boundedText } from "../../text.js";
import type { CorrectionInput } from "../commands.js";
import type { CloneEvent, CorrectionTurn } from "../events.js";
import { cloneLimits } from "../limits.js";
import type { CloneState } from "../state.js";
import { type CommandDeciders, requireAdapter } from "./guards.js";

type CorrectionsCommand = "RecordCorrection" | "ImportCorrections";

const text = (field: string, value: string) =>
  boundedText(field, value, { min: 1, max: cloneLimits.correctionTextMax, multiline: true });

function validContext(field: string, context: readonly CorrectionTurn[]): CorrectionTurn[] {
  if (context.length > cloneLimits.correctionContextTurnsMax)
    throw invalid(field, `at most ${cloneLimits.correctionContextTurnsMax} turns`);
  const last = context.at(-1);
  if (last && last.role !== "user")
    throw invalid(field, "the last turn must be the user's (what the draft answered)");
  return context.map((turn, i) => {
    if (turn.role !== "user" && turn.role !== "assistant")
      throw invalid(`${field}.${i}.role`, "must be user or assistant");
    const content = boundedText(`${field}.${i}.content`, turn.content, {
      min: 0,
      max: cloneLimits.correctionTextMax,
      multiline: true,
    });
    return { role: turn.role, content };
  });
}

/** One correction checked and normalised (UTC time, trimmed NFC text); `field` prefixes its inputs. */
function correctionRecorded(cloneId: string, c: CorrectionInput, field: string): CloneEvent {
  const correctionId = boundedText(`${field}correctionId`, c.correctionId, { min: 1, max: 100 });
  const at = new Date(c.at);
  if (!/^\d{4}-\d\d-\d\dT/.test(c.at) || Number.isNaN(at.getTime()))
    throw invalid(`${field}at`, "must be an ISO 8601 date and time");
  const channel = boundedText(`${field}channel`, c.channel, {
    min: 1,
    max: cloneLimits.correctionChannelMax,
  });
  if (c.adapterVersion !== null && !(Number.isInteger(c.adapterVersion) && c.adapterVersion > 0))
    throw invalid(`${field}adapterVersion`, "must be a positive integer or null");
  return {
    type: "CorrectionRecorded",
    data: {
      cloneId,
      correctionId,
      at: at.toISOString(),
      channel,
      adapterVersion: c.adapterVersion,
      context: validContext(`${field}context`, c.context),
      draft: text(`${field}draft`, c.draft),
      ownerText: text(`${field}ownerText`, c.ownerText),
    },
  };
}

function withinLimit(state: CloneState, adding: number): void {
  if (state.correctionIds.length + adding > cloneLimits.correctionsMax)
    throw conflict(
      `a clone keeps at most ${cloneLimits.correctionsMax} corrections; it has ${state.correctionIds.length}`,
    );
}

/**
 * The owner's corrections: a clone's draft rewritten into what the owner would really say. Recorded one at
 * a time from the preview, or imported from an installed clone's corrections file; a correction id already
 * recorded adds nothing, so a file can be uploaded again.
 */
export const correctionsDeciders: CommandDeciders<CorrectionsCommand> = {
  RecordCorrection(command, state) {
    const event = correctionRecorded(command.cloneId, command.correction, "");
    if (event.type !== "CorrectionRecorded") return [];
    if (state.correctionIds.includes(event.data.correctionId)) return [];
    // A reply of the preview names the adapter version that drafted it: one of this clone's.
    if (event.data.adapterVersion !== null && event.data.channel === "preview")
      requireAdapter(state, "adapterVersion", event.data.adapterVersion);
    withinLimit(state, 1);
    return [event];
  },
  ImportCorrections(command, state) {
    if (command.corrections.length === 0) throw invalid("corrections", "the file holds no corrections");
    const known = new Set(state.correctionIds);
    const seen = new Set<string>();
    const events: CloneEvent[] = [];
    command.corrections.forEach((correction, i) => {
      const event = correctionRecorded(command.cloneId, correction, `corrections.${i}.`);
      if (event.type !== "CorrectionRecorded") return;
      const id = event.data.correctionId;
      if (seen.has(id)) throw invalid(`corrections.${i}.correctionId`, `duplicate id '${id}'`);
      seen.add(id);
      if (!known.has(id)) events.push(event);
    });
    withinLimit(state, events.length);
    return events;
  },
};
