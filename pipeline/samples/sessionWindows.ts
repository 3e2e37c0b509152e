import { Turn } from "./sampleTypes.js";
import { renderTurn } from "./turnRender.js";

export interface WindowLimits {
  maxTurns: number;
  maxChars: number;
}

export interface WindowOptions {
  /** Keep the owner's turn that opens a session as a window of its own (an opener, no user turn). */
  openers: boolean;
}

export interface SessionWindowing {
  /**
   * Each starts with a user turn and ends with an assistant turn, except an opener: the owner's turn that
   * started the session, alone, first.
   */
  windows: Turn[][];
  /** Messages in the opener window (0: none, or openers off). */
  openerMessages: number;
  /** Owner messages before anyone else spoke, dropped because openers are off. */
  leadingOwnerMessages: number;
  /** Messages after the owner's last reply: context for a reply that never came. */
  trailingUserMessages: number;
}

/**
 * Splits one session's alternating turns into windows within the limits. A window is closed before the
 * turn that would overflow it; when that turn is a reply, the question before it moves to the next
 * window so that every reply keeps the message it answers. How the owner opens a conversation is style
 * too: with `openers`, their opening turn is a window of its own (nothing invented before it).
 */
export function sessionWindows(
  turns: readonly Turn[],
  limits: WindowLimits,
  group: boolean,
  options: WindowOptions = { openers: false },
): SessionWindowing {
  let start = 0;
  let leading = 0;
  while (start < turns.length && turns[start]!.role === "assistant") leading += turns[start++]!.parts.length;

  const windows: Turn[][] = options.openers && start > 0 ? [turns.slice(0, start)] : [];
  const openerMessages = windows.length > 0 ? leading : 0;
  const leadingOwnerMessages = leading - openerMessages;
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
  return { windows, openerMessages, leadingOwnerMessages, trailingUserMessages };
}
