import { Role, Turn, TurnPart } from "./sampleTypes.js";

export interface SpokenPart extends TurnPart {
  role: Role;
}

/**
 * Merges consecutive messages of one side into a turn: the owner's run becomes one assistant turn and
 * everyone else's run, whoever spoke, one user turn (its parts keep their speakers for group prefixes).
 */
export function mergeTurns(parts: readonly SpokenPart[]): Turn[] {
  const turns: Turn[] = [];
  for (const { role, ...part } of parts) {
    const last = turns.at(-1);
    if (last && last.role === role) last.parts.push(part);
    else turns.push({ role, parts: [part] });
  }
  return turns;
}
