import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type CloneCommand, type CloneEvent, cloneDecider } from "../../domain/index.js";
import { applyCloneEvent } from "../../projections/cloneView.js";
import type { CloneView } from "../../projections/views.js";
import { BlindTestService, blindSamples } from "./blindTestService.js";

const owner = { ownerId: "o1", keyId: "k1" };
const stranger = { ownerId: "o2", keyId: "k2" };
const cloneId = "c1";

const line = (messages: { role: string; content: string }[]) => JSON.stringify({ messages });
const VAL = [
  line([
    { role: "system", content: "Ты — Аня." },
    { role: "user", content: "Привет, как дела?" },
    { role: "assistant", content: "норм, а у тебя?" },
  ]),
  // An opener: no one to answer, so no trial.
  line([
    { role: "system", content: "Ты — Аня." },
    { role: "assistant", content: "ты где?" },
  ]),
  "",
  line([
    { role: "user", content: "идём в кино?" },
    { role: "assistant", content: "давай" },
    { role: "user", content: "в семь?" },
    { role: "assistant", content: "ок, в семь" },
  ]),
].join("\n");

const history: CloneEvent[] = [
  { type: "CloneCreated", data: { cloneId, ownerId: "o1", name: "Аня" } },
  {
    type: "DatasetBuilt",
    data: {
      cloneId,
      version: 1,
      sourceIds: ["s1"],
      artifactKey: "clones/c1/datasets/q1/",
      stats: { conversations: 1, samples: 3, ownerMessages: 4, droppedMessages: 0 },
    },
  },
  {
    type: "TrainingRequested",
    data: { cloneId, runId: "r1", datasetVersion: 1, baseModel: "tiny", hyperparameters: {} },
  },
  { type: "TrainingStarted", data: { cloneId, runId: "r1", backend: "local" } },
  {
    type: "TrainingCompleted",
    data: { cloneId, runId: "r1", adapterVersion: 1, artifactKey: "a1", metrics: {} },
  },
];

/** The service over the real decider and projection, an in-memory stream and a fake preview. */
function setup(randoms: number[]) {
  const events = [...history];
  const view = (): CloneView => {
    let v: CloneView | null = null;
    events.forEach((e, i) => {
      v = applyCloneEvent(v, e, { revision: i, timestamp: "2026-12-06T21:00:00Z" });
    });
    return v as unknown as CloneView;
  };
  const read: string[] = [];
  const generated: unknown[] = [];
  const service = new BlindTestService({
    requireClone: async (principal, id) => {
      if (principal.ownerId !== "o1" || id !== cloneId)
        throw Object.assign(new Error("not found"), { extensions: { code: "NOT_FOUND" } });
      return view();
    },
    readArtifactText: async (key) => {
      read.push(key);
      return VAL;
    },
    generate: async (_p, input) => {
      generated.push(input);
      return "клон отвечает";
    },
    record: async (principal, command) => {
      const state = events.reduce(cloneDecider.evolve, cloneDecider.initialState);
      const appended = cloneDecider.decide(
        { ...command, actor: { kind: "owner", ownerId: principal.ownerId } } as CloneCommand,
        state,
      );
      events.push(...appended);
      return { view: view(), events: appended };
    },
    randomInt: (max) => (randoms.shift() ?? 0) % max,
  });
  return { service, events, read, generated };
}

describe("blind test service", () => {
  it("keeps the samples that answer someone, the last owner turn as the real reply", () => {
    const samples = blindSamples(VAL);
    assert.deepEqual(
      samples.map((s) => s.line),
      [0, 3],
    );
    assert.deepEqual(samples[1]?.sample, {
      context: [
        { role: "user", content: "идём в кино?" },
        { role: "assistant", content: "давай" },
        { role: "user", content: "в семь?" },
      ],
      real: "ок, в семь",
    });
  });

  it("draws from val.jsonl of the version's dataset, the clone answering the same context", async () => {
    // sample 1 of 2 (line 3), seed 7, the real reply as candidate b.
    const { service, events, read, generated } = setup([1, 7, 1]);
    const trial = await service.draw(owner, cloneId, 1);
    assert.deepEqual(read, ["clones/c1/datasets/q1/val.jsonl"]);
    assert.deepEqual(generated, [
      {
        cloneId,
        adapterVersion: 1,
        seed: 7,
        messages: [
          { role: "user", content: "идём в кино?" },
          { role: "assistant", content: "давай" },
          { role: "user", content: "в семь?" },
        ],
      },
    ]);
    assert.deepEqual(trial.candidates, [
      { id: "a", text: "клон отвечает" },
      { id: "b", text: "ок, в семь" },
    ]);
    const drawn = events.at(-1);
    assert.equal(drawn?.type, "BlindTrialDrawn");
    assert.deepEqual(drawn?.data, {
      cloneId,
      trialId: trial.trialId,
      adapterVersion: 1,
      datasetVersion: 1,
      sampleIndex: 3,
      realCandidate: "b",
    });
  });

  it("answers: draw → answer → the version's result; a second answer is refused", async () => {
    const { service } = setup([0, 1, 0, 0, 2, 1]);
    const first = await service.draw(owner, cloneId, 1);
    const answer = await service.answer(owner, { cloneId, trialId: first.trialId, choice: "a" });
    assert.equal(answer.outcome, "real");
    assert.equal(answer.realCandidate, "a");
    assert.deepEqual(answer.tally, {
      adapterVersion: 1,
      realPicked: 1,
      clonePicked: 0,
      cantTell: 0,
      drawn: 1,
    });
    await assert.rejects(
      service.answer(owner, { cloneId, trialId: first.trialId, choice: "b" }),
      /already answered/,
    );
    const second = await service.draw(owner, cloneId, 1);
    const cantTell = await service.answer(owner, { cloneId, trialId: second.trialId, choice: "cant_tell" });
    assert.equal(cantTell.realCandidate, "b");
    assert.deepEqual(cantTell.tally, {
      adapterVersion: 1,
      realPicked: 1,
      clonePicked: 0,
      cantTell: 1,
      drawn: 2,
    });
  });

  it("refuses a version that is not trained, and another owner's clone", async () => {
    const { service } = setup([]);
    await assert.rejects(service.draw(owner, cloneId, 2), /no trained adapter version 2/);
    await assert.rejects(service.draw(stranger, cloneId, 1), /not found/);
  });
});
