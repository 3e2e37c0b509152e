import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Turn } from "./sampleTypes.js";
import { sessionWindows } from "./sessionWindows.js";
import { limitTurn } from "./turnLimit.js";
import { mergeTurns } from "./turnMerge.js";
import { renderTurn } from "./turnRender.js";

function turn(role: "user" | "assistant", ...texts: string[]): Turn {
  return {
    role,
    parts: texts.map((text, i) => ({ speakerKey: `${role}${i}`, speakerLabel: `S${i}`, text, timestamp: i })),
  };
}

const roles = (windows: Turn[][]) => windows.map((w) => w.map((t) => t.role[0]).join(""));

describe("mergeTurns and renderTurn", () => {
  it("merges runs of one side, keeping speakers and line breaks", () => {
    const turns = mergeTurns([
      { role: "user", speakerKey: "a", speakerLabel: "Аня", text: "привет", timestamp: 1 },
      { role: "user", speakerKey: "a", speakerLabel: "Аня", text: "ты тут?", timestamp: 2 },
      { role: "user", speakerKey: "b", speakerLabel: "Bob", text: "hi\nall", timestamp: 3 },
      { role: "assistant", speakerKey: "me", speakerLabel: "", text: "да", timestamp: 4 },
      { role: "assistant", speakerKey: "me", speakerLabel: "", text: "тут)", timestamp: 5 },
    ]);
    assert.equal(turns.length, 2);
    assert.equal(renderTurn(turns[0]!, true), "Аня: привет\nты тут?\nBob: hi\nall");
    assert.equal(renderTurn(turns[0]!, false), "привет\nты тут?\nhi\nall");
    assert.equal(renderTurn(turns[1]!, true), "да\nтут)");
  });
  it("limits turns by whole messages: replies keep their start, context its end", () => {
    const reply = limitTurn(turn("assistant", "aaaa", "bbbb", "cccc"), 9, false);
    assert.equal(renderTurn(reply.turn, false), "aaaa\nbbbb");
    assert.equal(reply.dropped, 1);
    const context = limitTurn(turn("user", "aaaa", "bbbb", "cccc"), 9, false);
    assert.equal(renderTurn(context.turn, false), "bbbb\ncccc");
  });
});

describe("sessionWindows", () => {
  const limits = { maxTurns: 40, maxChars: 8000 };
  it("drops leading owner turns and trailing user turns, counting their messages", () => {
    const result = sessionWindows(
      [turn("assistant", "a", "b"), turn("user", "q"), turn("assistant", "r"), turn("user", "x", "y")],
      limits,
      false,
    );
    assert.deepEqual(roles(result.windows), ["ua"]);
    assert.equal(result.leadingOwnerMessages, 2);
    assert.equal(result.trailingUserMessages, 2);
  });
  it("keeps the owner's opening turn as an opener window of its own, when asked", () => {
    const turns = [turn("assistant", "a", "b"), turn("user", "q"), turn("assistant", "r")];
    const result = sessionWindows(turns, limits, false, { openers: true });
    assert.deepEqual(roles(result.windows), ["a", "ua"]);
    assert.deepEqual(
      result.windows[0]![0]!.parts.map((p) => p.text),
      ["a", "b"],
    );
    assert.equal(result.openerMessages, 2);
    assert.equal(result.leadingOwnerMessages, 0);
    const alone = sessionWindows([turn("assistant", "hello?")], limits, false, { openers: true });
    assert.deepEqual(roles(alone.windows), ["a"]);
    assert.equal(alone.openerMessages, 1);
    const off = sessionWindows(turns, limits, false, { openers: false });
    assert.deepEqual([roles(off.windows), off.openerMessages, off.leadingOwnerMessages], [["ua"], 0, 2]);
  });
  it("splits long sessions into windows that each start with a question and end with a reply", () => {
    const turns = Array.from({ length: 10 }, (_, i) => turn(i % 2 === 0 ? "user" : "assistant", `t${i}`));
    const result = sessionWindows(turns, { maxTurns: 4, maxChars: 8000 }, false);
    assert.deepEqual(roles(result.windows), ["uaua", "uaua", "ua"]);
    const byChars = sessionWindows(turns, { maxTurns: 40, maxChars: 5 }, false);
    assert.deepEqual(roles(byChars.windows), ["ua", "ua", "ua", "ua", "ua"]);
  });
  it("carries the question over when the reply overflows", () => {
    const turns = [
      turn("user", "q1"),
      turn("assistant", "a1"),
      turn("user", "q2"),
      turn("assistant", "a2-long-answer"),
    ];
    const result = sessionWindows(turns, { maxTurns: 40, maxChars: 12 }, false);
    assert.deepEqual(
      result.windows.map((w) => w.map((t) => t.parts[0]!.text)),
      [
        ["q1", "a1"],
        ["q2", "a2-long-answer"],
      ],
    );
  });
});
