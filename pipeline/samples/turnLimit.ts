import { Turn } from "./sampleTypes.js";
import { renderTurn } from "./turnRender.js";

/**
 * Fits a turn into `maxChars` by dropping whole messages, never cutting one: an assistant turn keeps its
 * first messages (the reply as it started), a user turn its last ones (the context nearest the reply).
 * Returns the turn and how many messages were dropped.
 */
export function limitTurn(turn: Turn, maxChars: number, group: boolean): { turn: Turn; dropped: number } {
  if (renderTurn(turn, group).length <= maxChars) return { turn, dropped: 0 };
  const parts = [...turn.parts];
  const fromStart = turn.role === "assistant";
  while (parts.length > 1 && renderTurn({ role: turn.role, parts }, group).length > maxChars) {
    if (fromStart) parts.pop();
    else parts.shift();
  }
  return { turn: { role: turn.role, parts }, dropped: turn.parts.length - parts.length };
}
