import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FidelityReport, FidelitySide } from "aiclone-runtime/fidelity";
import { replyStyle } from "aiclone-runtime/fidelity";
import { formatFidelity, type TrainerMetrics } from "./trainFidelity.js";

const side = (
  replies: string[],
  authorship: number,
  styleDistance: number | null,
  hitLimit = 0,
): FidelitySide => ({
  style: replyStyle(replies),
  styleDistance,
  authorship,
  distinct: new Set(replies).size / replies.length,
  hitLimit,
});

const owner = ["да\nщас приду)", "ладно", "ок)", "не знаю"];
const base = ["Hello! How can I help you?", "Sure.", "Of course!", "I am an AI."];
const clone = ["да)", "ну ладно", "ок", "ок"];
const mode = {
  prompts: 4,
  owner: side(owner, 0.75, 0.05),
  base: side(base, 0, 0.62, 0.25),
  clone: side(clone, 0.5, 0.08),
};

const report: FidelityReport = {
  version: 1,
  measuredWith: "runtime",
  sampling: { temperature: 0.7, topP: 0.9, repeatPenalty: 1.1, maxTokens: 64, seed: 42 },
  heldOut: { source: "sessions", sessions: 3, replies: 4 },
  perplexity: { base: 12.5, adapted: 9.75 },
  modes: { single: mode, context: { ...mode, prompts: 0 } },
  soundsLikeYou: {
    score: 0.72,
    parts: { authorship: 0.67, style: 0.97, variety: 0.75 },
    base: { score: 0.31, parts: { authorship: 0, style: 0.43, variety: 1 } },
  },
  samples: [
    { mode: "single", prompt: "Ты где?", owner: owner[0]!, base: base[0]!, clone: clone[0]! },
    { mode: "context", prompt: "Идёшь?", owner: owner[1]!, base: base[1]!, clone: clone[1]! },
    { mode: "single", prompt: "Ну что?", owner: owner[2]!, base: base[2]!, clone: clone[2]! },
    { mode: "context", prompt: "Четвёртый", owner: owner[3]!, base: base[3]!, clone: clone[3]! },
  ],
};

const rowOf = (text: string, label: string) => {
  const line = text.split("\n").find((l) => l.startsWith(`${label}  `));
  assert.ok(line, `a row "${label}" in:\n${text}`);
  return line
    .slice(label.length)
    .trim()
    .split(/\s{2,}/);
};

describe("formatFidelity", () => {
  it("prints the headline against the base model, with its parts", () => {
    const text = formatFidelity({ fidelity: report });
    assert.match(text, /^sounds like you: 72 % \(the base model alone: 31 %\)/);
    assert.match(text, /authorship 67 %, style 97 %, variety 75 %/);
    assert.doesNotMatch(text, /does not make it sound more like you/);
  });

  it("prints a table per mode: owner, base and clone columns", () => {
    const text = formatFidelity({ fidelity: report });
    assert.match(text, /single: the contact's last message alone \(4 prompts\)\s+owner\s+base\s+clone/);
    assert.deepEqual(rowOf(text, "authorship share"), ["75 %", "0 %", "50 %"]);
    assert.deepEqual(rowOf(text, "style distance (0 = the owner's)"), ["0.05", "0.62", "0.08"]);
    assert.deepEqual(rowOf(text, "distinct replies"), ["100 %", "100 %", "75 %"]);
    assert.deepEqual(rowOf(text, "hit token limit"), ["0 %", "25 %", "0 %"]);
    assert.deepEqual(rowOf(text, "lowercase starts"), ["100 %", "0 %", "100 %"]);
    assert.deepEqual(rowOf(text, "ends with !"), ["0 %", "25 %", "0 %"]);
    assert.deepEqual(rowOf(text, "ends with ?"), ["0 %", "25 %", "0 %"]);
    assert.deepEqual(rowOf(text, "ends with ."), ["0 %", "50 %", "0 %"]);
    assert.match(text, /context: with the preceding turns: no prompts in this mode/);
  });

  it("prints perplexity, the sampling and how it was measured", () => {
    const text = formatFidelity({ fidelity: report });
    assert.match(
      text,
      /perplexity of the owner's held-out replies \(trainer\): 12\.50 → 9\.75, 22 % lower: better/,
    );
    assert.match(text, /temperature 0\.70, top-p 0\.90, repeat penalty 1\.10, at most 64 tokens, seed 42/);
    assert.match(text, /node-llama-cpp with the clone's adapter/);
    assert.match(text, /held out: 4 owner replies from 3 sessions/);
  });

  it("says so when the adapter makes things worse", () => {
    const worse: FidelityReport = {
      ...report,
      perplexity: { base: 10, adapted: 12 },
      soundsLikeYou: { ...report.soundsLikeYou, score: 0.2 },
    };
    const text = formatFidelity({ fidelity: worse });
    assert.match(text, /10\.00 → 12\.00, 20 % higher: worse/);
    assert.match(text, /sounds like you: 20 % \(the base model alone: 31 %, the same or better/);
  });

  it("prints three samples side by side, a multi-line reply with its line break", () => {
    const text = formatFidelity({ fidelity: report });
    assert.match(
      text,
      /\[single\] contact: Ты где\?\n {2}owner: да\n {9}щас приду\)\n {2}base: {2}Hello! How can I help you\?\n {2}clone: да\)/,
    );
    assert.match(text, /\[context\] contact: Идёшь\?/);
    assert.match(text, /\[single\] contact: Ну что\?/);
    assert.doesNotMatch(text, /Четвёртый/);
  });

  it("explains a skipped report by its reason and keeps the trainer's perplexity", () => {
    const metrics: TrainerMetrics = {
      fidelity: { version: 1, skipped: "no-held-out", detail: "The dataset has 1 session." },
      eval: { perplexity: { base: 12.5, adapted: 9.75 } },
    };
    const text = formatFidelity(metrics);
    assert.match(text, /^fidelity not measured: nothing could be held out of the dataset/);
    assert.match(text, /The dataset has 1 session\./);
    assert.match(text, /perplexity: 12\.50 → 9\.75, 22 % lower: better/);
    assert.match(
      formatFidelity({ fidelity: { version: 1, skipped: "too-few-sessions", detail: "" } }),
      /^fidelity not measured: the dataset has too few conversations/,
    );
    assert.match(
      formatFidelity({ fidelity: { version: 1, skipped: "something-new", detail: "Because." } }),
      /reason "something-new"\.\n {2}Because\./,
    );
  });

  it("reads old metrics without `fidelity` as before", () => {
    const ppl = (perplexity: number) => ({ perplexity, mean_nll: Math.log(perplexity), tokens: 120 });
    const text = formatFidelity({
      template: "chatml",
      eval: {
        perplexity: { base: ppl(12.5), adapted: ppl(9.75) },
        style: {
          owner: { count: 4, median_length_chars: 12, lowercase_start_share: 1 },
          base: { count: 4, median_length_chars: 40, lowercase_start_share: 0 },
          adapted: { count: 4, median_length_chars: 14, lowercase_start_share: 0.75 },
        },
      },
    });
    assert.deepEqual(rowOf(text, "perplexity"), ["12.50", "9.75"]);
    assert.deepEqual(rowOf(text, "lowercase starts"), ["100 %", "0 %", "75 %"]);
    assert.match(text, /prompt template: chatml/);
    assert.match(formatFidelity({}), /no held-out samples/);
  });

  it("does not throw on a damaged or unknown report", () => {
    assert.match(formatFidelity({ fidelity: { version: 2 } as never }), /cannot read/);
    const damaged = { ...report, samples: [null], modes: { single: { prompts: 3 } } } as never;
    assert.doesNotThrow(() => formatFidelity({ fidelity: damaged }));
  });
});
