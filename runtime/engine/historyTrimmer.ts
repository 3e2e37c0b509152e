/**
 * Fits a conversation into the context budget: the oldest exchanges go first, the system prompt and the
 * newest user message always stay. What is dropped is only left out of the prompt, never out of memory.
 */
import type { ChatMessage } from "@aiclone/plugin-sdk";

/** Even the system prompt and the newest message alone do not fit the context. */
export class PromptTooLongError extends Error {
  override readonly name = "PromptTooLongError";
}

export interface TrimmedPrompt {
  turns: ChatMessage[];
  /** Tokens of the prompt as the model will see it. */
  tokens: number;
  droppedTurns: number;
}

/**
 * `turns` alternate user/assistant and end with the user's message. `countTokens` gives the exact size of
 * the formatted prompt (chat template included), so the result is under budget by construction.
 */
export function trimToBudget(
  system: string,
  turns: readonly ChatMessage[],
  budget: number,
  countTokens: (system: string, turns: readonly ChatMessage[]) => number,
): TrimmedPrompt {
  let start = 0;
  let tokens = countTokens(system, turns);
  while (tokens > budget) {
    if (start >= turns.length - 1)
      throw new PromptTooLongError(
        `the prompt needs ${tokens} tokens but the context leaves ${budget} for it: shorten the message or the persona's system prompt, or raise generation.contextSize`,
      );
    // Drop a whole exchange so the kept history still starts with a user message.
    start++;
    while (start < turns.length - 1 && turns[start]?.role !== "user") start++;
    tokens = countTokens(system, turns.slice(start));
  }
  return { turns: turns.slice(start), tokens, droppedTurns: start };
}
