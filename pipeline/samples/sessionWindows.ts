import { Turn } from "./sampleTypes.js";
import { renderTurn } from "./turnRender.js";

export interface WindowLimits {
  maxTurns: number;
  maxChars: number;
}

export interface SessionWindowing {
  /** Each starts with a user turn and ends with an assistant turn. */
  windows: Turn[][];
  /** Owner messages before anyone else spoke: nothing to reply to, so not trainable. */
  leadingOwnerMessages: number;
  /** Messages after the owner's last reply: context for a reply that never came. */
  trailingUserMessages: number;
}

/**
 * Splits one session's alternating turns into windows within the limits. A window is closed before the
 * turn that would overflow it; when that turn is a reply, the question before it moves to the next
 * window so that every reply keeps the message it answers.
 */
export function sessionWindows(
  turns: readonly Turn[],
  limits: WindowLimits,
  group: boolean,
): SessionWindowing {
  let start = 0;
  let leadingOwnerMessages = 0;
  while (start < turns.length && turns[start]!.role === "assistant")
    leadingOwnerMessages += turns[start++]!.parts.length;

  const windows: Turn[][] = [];
  let window: Turn[] = [];
  let chars = 0;
  for (const turn of turns.slice(start)) {
    const length = renderTurn(turn, group).length;
    const overflows = window.length + 1 > limits.maxTurns || chars + length > limits.maxChars;
    // A lone question always takes its answer, even past the limits: the pair is the smallest sample.
    if (window.length > 1 && overflows) {
      const carried = turn.role === "assistant" ? window.pop() : undefined;
      windows.push(window);
      window = carried ? [carried] : [];
      chars = carried ? renderTurn(carried, group).length : 0;
    }
    window.push(turn);
    chars += length;
  }
  let trailingUserMessages = 0;
  while (window.length > 0 && window.at(-1)!.role === "user")
    trailingUserMessages += window.pop()!.parts.length;
  if (window.length > 0) windows.push(window);
  return { windows, leadingOwnerMessages, trailingUserMessages };
}
