import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { casual, formal, messages } from "@aiclone/testing/syntheticAuthors";
import {
  buildFidelityReport,
  type FidelityInput,
  type FidelityItem,
  type FidelityReport,
  fidelitySkipped,
  type GeneratedReply,
  isFidelitySkipped,
  SOUNDS_LIKE_YOU_WEIGHTS,
} from "./fidelityReport.js";

const reply = (text: string, finishReason: GeneratedReply["finishReason"] = "stop"): GeneratedReply => ({
  text,
  finishReason,
  tokens: text.length,
});

/** The owner writes casually; the contacts and the base model formally; the clone like the owner. */
function syntheticInput(
  clone: (i: number) => GeneratedReply = (i) => reply(cloneReplies[i]!),
): FidelityInput {
  const owner = messages(casual, 40, 101);
  const prompts = messages(formal, 40, 102);
  const base = messages(formal, 40, 103).map((r) => r.repeat(3));
  const item = (i: number, withContext: boolean): FidelityItem => ({
    prompt: prompts[i]!,
    context: withContext ? [{ role: "user", content: prompts[(i + 1) % 40]! }] : [],
    owner: owner[i]!,
    base: reply(base[i]!, i % 3 === 0 ? "length" : "stop"),
    clone: clone(i),
  });
  return {
    trainSplit: { owner: messages(casual, 400, 104), others: messages(formal, 600, 105) },
    modes: {
      single: Array.from({ length: 40 }, (_, i) => item(i, false)),
      context: Array.from({ length: 40 }, (_, i) => item(i, true)),
    },
    sampling: { temperature: 0.7, topP: 0.9, repeatPenalty: 1.1, maxTokens: 64, seed: 42 },
    perplexity: { base: 12.5, adapted: 9.75 },
    heldOut: { source: "sessions", sessions: 12, replies: 40 },
  };
}
const cloneReplies = messages(casual, 40, 106);

function build(input: FidelityInput): FidelityReport {
  const report = buildFidelityReport(input);
  assert.ok(!isFidelitySkipped(report), "a report, not skipped");
  return report;
}

describe("buildFidelityReport", () => {
  it("scores a clone that writes like the owner above the base model", () => {
    const report = build(syntheticInput());
    const { score, parts, base } = report.soundsLikeYou;
    assert.ok(score > 0.8, `clone ${score}`);
    assert.ok(base.score < 0.4, `base ${base.score}`);
    assert.ok(parts.authorship > base.parts.authorship);
    assert.ok(parts.style > base.parts.style);
    for (const mode of [report.modes.single, report.modes.context]) {
      assert.equal(mode.prompts, 40);
      assert.ok(mode.owner.authorship >= 0.9, `the owner's own replies: ${mode.owner.authorship}`);
      assert.ok(mode.clone.authorship >= 0.9);
      assert.ok(mode.base.authorship <= 0.1);
      assert.ok(mode.clone.styleDistance! < mode.base.styleDistance!);
      assert.ok(Math.abs(mode.base.hitLimit - 14 / 40) < 1e-9);
      assert.equal(mode.owner.hitLimit, 0);
    }
  });

  it("defines the score as the documented weighted sum of its parts", () => {
    const { score, parts } = build(syntheticInput()).soundsLikeYou;
    const w = SOUNDS_LIKE_YOU_WEIGHTS;
    assert.equal(w.authorship + w.style + w.variety, 1);
    assert.ok(w.authorship > w.style && w.authorship > w.variety);
    assert.ok(
      Math.abs(
        score - (w.authorship * parts.authorship + w.style * parts.style + w.variety * parts.variety),
      ) < 1e-12,
    );
    for (const v of Object.values(parts)) assert.ok(v >= 0 && v <= 1);
  });

  it("marks down a clone that gives the same reply to everything", () => {
    const varied = build(syntheticInput()).soundsLikeYou;
    const stuck = build(syntheticInput(() => reply("ладно)"))).soundsLikeYou;
    assert.ok(stuck.parts.variety < 0.1, `${stuck.parts.variety}`);
    assert.ok(stuck.score < varied.score);
  });

  it("is deterministic, JSON-safe and keeps samples side by side with their line breaks", () => {
    const input = syntheticInput();
    input.modes.single[0]!.owner = "да\nщас приду)";
    const a = build(input);
    const json = JSON.stringify(a);
    assert.deepEqual(JSON.parse(json), a, "no NaN, undefined or Infinity");
    assert.equal(json, JSON.stringify(build(input)));
    assert.equal(a.samples.length, 3);
    assert.deepEqual(
      a.samples.map((s) => s.mode),
      ["single", "context", "single"],
    );
    assert.equal(a.samples[0]!.owner, "да\nщас приду)");
    assert.equal(a.measuredWith, "runtime");
    assert.deepEqual(a.perplexity, { base: 12.5, adapted: 9.75 });
  });

  it("measures one mode when the other has no prompts", () => {
    const input = syntheticInput();
    input.modes.context = [];
    const report = build(input);
    assert.equal(report.modes.context.prompts, 0);
    assert.equal(report.modes.context.clone.styleDistance, null);
    assert.ok(report.soundsLikeYou.score > 0.8, "an empty mode does not drag the score down");
  });

  it("is skipped with a reason when nothing was held out or the training split is one-sided", () => {
    const input = syntheticInput();
    const nothing = buildFidelityReport({ ...input, modes: { single: [], context: [] } });
    assert.ok(isFidelitySkipped(nothing));
    assert.equal(nothing.skipped, "no-held-out");
    assert.equal(nothing.version, 1);
    assert.match(nothing.detail, /held-out/);
    const oneSided = buildFidelityReport({
      ...input,
      trainSplit: { owner: input.trainSplit.owner, others: [] },
    });
    assert.ok(isFidelitySkipped(oneSided));
    assert.equal(oneSided.skipped, "no-training-split");
    assert.deepEqual(Object.keys(fidelitySkipped("too-few-sessions")).sort(), [
      "detail",
      "skipped",
      "version",
    ]);
    assert.match(fidelitySkipped("too-few-sessions").detail, /too few conversations/);
  });
});
