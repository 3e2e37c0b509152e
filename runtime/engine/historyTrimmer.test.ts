import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChatMessage } from "@aiclone/plugin-sdk";
import { PromptTooLongError, trimToBudget } from "./historyTrimmer.js";

// One "token" per word, plus 2 per message for the template.
const count = (system: string, turns: readonly ChatMessage[]) =>
  [system, ...turns.map((t) => t.content)].reduce((sum, text) => sum + text.split(/\s+/).length + 2, 0);

const conversation: ChatMessage[] = [
  { role: "user", content: "Привет, как дела у тебя сегодня?" },
  { role: "assistant", content: "Хорошо, спасибо!" },
  { role: "user", content: "Что делаешь?" },
  { role: "assistant", content: "Пишу код на TypeScript весь день" },
  { role: "user", content: "Пойдём гулять?" },
];

describe("trimToBudget", () => {
  it("keeps everything that fits", () => {
    const all = count("Ты — Маша.", conversation);
    const result = trimToBudget("Ты — Маша.", conversation, all, count);
    assert.equal(result.droppedTurns, 0);
    assert.equal(result.tokens, all);
  });

  it("drops the oldest whole exchanges first and stays under budget", () => {
    const budget = count("Ты — Маша.", conversation) - 1;
    const result = trimToBudget("Ты — Маша.", conversation, budget, count);
    assert.equal(result.droppedTurns, 2);
    assert.equal(result.turns[0]?.content, "Что делаешь?");
    assert.ok(result.tokens <= budget);
  });

  it("keeps at least the newest message", () => {
    const budget = count("Ты — Маша.", conversation.slice(-1));
    const result = trimToBudget("Ты — Маша.", conversation, budget, count);
    assert.deepEqual(result.turns, conversation.slice(-1));
  });

  it("refuses a prompt that cannot fit at all", () => {
    assert.throws(() => trimToBudget("Ты — Маша.", conversation, 3, count), PromptTooLongError);
  });
});
