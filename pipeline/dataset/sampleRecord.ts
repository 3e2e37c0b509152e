import { ChatTurn, Sample } from "../samples/sampleTypes.js";
import { renderTurns } from "../samples/turnRender.js";

export interface ChatMessagesRecord {
  messages: Array<{ role: "system" | "user" | "assistant"; content: string }>;
}

/** One jsonl line in the chat-messages format trainers read. */
export function sampleRecord(turns: readonly ChatTurn[], systemPrompt: string | null): ChatMessagesRecord {
  const messages: ChatMessagesRecord["messages"] = systemPrompt
    ? [{ role: "system", content: systemPrompt }]
    : [];
  for (const turn of turns) messages.push({ role: turn.role, content: turn.content });
  return { messages };
}

export function renderSample(sample: Sample): ChatTurn[] {
  return renderTurns(sample.turns, sample.group);
}
