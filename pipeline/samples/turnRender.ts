import { ChatTurn, Turn, TurnPart } from "./sampleTypes.js";

/**
 * A turn's text: its messages joined with line breaks. In groups a user turn names each speaker once per
 * run of their messages (`Имя: текст`), so the model sees who said what; assistant turns never carry a
 * name, since the model must answer with the owner's words alone.
 */
export function renderTurn(turn: Turn, group: boolean): string {
  if (turn.role === "assistant" || !group) return turn.parts.map((p) => p.text).join("\n");
  const lines: string[] = [];
  let previous: TurnPart | undefined;
  for (const part of turn.parts) {
    lines.push(previous?.speakerKey === part.speakerKey ? part.text : `${part.speakerLabel}: ${part.text}`);
    previous = part;
  }
  return lines.join("\n");
}

export function renderTurns(turns: readonly Turn[], group: boolean): ChatTurn[] {
  return turns.map((turn) => ({ role: turn.role, content: renderTurn(turn, group) }));
}
