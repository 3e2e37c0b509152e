import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { GraphQLTestClient } from "../../testing/platform/graphqlClient.js";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";
import {
  apiOf,
  cloneWithDataset,
  finishedJob,
  requestTraining,
  standInTrainerEnv,
} from "./trainingScenario.js";

/**
 * The blind test through the API, on embedded defaults: train (stand-in trainer, a real tiny LoRA), draw a
 * trial (a val.jsonl sample, the clone's reply from the `preview` role), answer it, read the result.
 */
const DRAW =
  "mutation ($id: ID!, $v: Int!) { drawBlindTestTrial(input: {cloneId: $id, adapterVersion: $v}) { id cloneId adapterVersion context { role content } candidates { id text } } }";
const ANSWER =
  "mutation ($id: ID!, $trial: ID!, $choice: BlindTestChoice!) { answerBlindTestTrial(input: {cloneId: $id, trialId: $trial, choice: $choice}) { trialId adapterVersion outcome realCandidate result { answers pickedReal pickedClone cantTell pickedRealShare low high } } }";
const RESULT =
  "query ($id: ID!) { clone(id: $id) { trainingRuns { adapterVersion blindTest { answers drawn pickedRealShare low high } } } }";

describe("blind test through the API (one process, the tiny model)", () => {
  let harness: PlatformHarness;
  let api: GraphQLTestClient;
  let stranger: GraphQLTestClient;
  let cloneId: string;

  before(async () => {
    process.env.STANDIN_STEP_MS = "5";
    harness = await PlatformHarness.start({
      ...standInTrainerEnv,
      AICLONE_PREVIEW__CPU: "true",
      AICLONE_PREVIEW__THREADS: "1",
    });
    api = apiOf(harness);
    cloneId = await cloneWithDataset(api);
    const job = await finishedJob(api, await requestTraining(api, cloneId, { maxSteps: 3 }));
    assert.equal(job.adapterVersion, 1);
    const other = await harness.platform.services.owners.createOwner("Чужой", {
      kind: "system",
      name: "test",
    });
    stranger = new GraphQLTestClient(harness.platform.graphqlUrl, other.token);
  });
  after(() => harness.destroy());

  it("draws, answers once, and counts the answer in the version's result", async () => {
    const { drawBlindTestTrial: trial } = await api.data(DRAW, { id: cloneId, v: 1 });
    assert.equal(trial.adapterVersion, 1);
    assert.deepEqual(
      trial.candidates.map((c: { id: string }) => c.id),
      ["A", "B"],
    );
    assert.equal(trial.context.at(-1).role, "USER", "the context ends with the message answered");
    assert.ok(trial.candidates.every((c: { text: unknown }) => typeof c.text === "string"));

    const strangerAnswer = await stranger.request(ANSWER, { id: cloneId, trial: trial.id, choice: "A" });
    assert.equal(strangerAnswer.errors?.[0]?.extensions?.code, "NOT_FOUND");

    const { answerBlindTestTrial: answer } = await api.data(ANSWER, {
      id: cloneId,
      trial: trial.id,
      choice: "A",
    });
    assert.equal(answer.outcome, answer.realCandidate === "A" ? "REAL" : "CLONE");
    assert.equal(answer.result.answers, 1);
    assert.equal(answer.result.pickedRealShare, answer.outcome === "REAL" ? 1 : 0);
    assert.ok(answer.result.low <= answer.result.pickedRealShare);
    assert.ok(answer.result.high >= answer.result.pickedRealShare);

    const again = await api.request(ANSWER, { id: cloneId, trial: trial.id, choice: "B" });
    assert.equal(again.errors?.[0]?.extensions?.code, "CONFLICT");

    const { clone } = await api.data(RESULT, { id: cloneId });
    const run = clone.trainingRuns.find((r: { adapterVersion: number | null }) => r.adapterVersion === 1);
    assert.deepEqual(
      { answers: run.blindTest.answers, drawn: run.blindTest.drawn },
      { answers: 1, drawn: 1 },
    );
  });

  it("refuses a version that is not trained, another owner's clone and an unknown trial", async () => {
    const untrained = await api.request(DRAW, { id: cloneId, v: 2 });
    assert.equal(untrained.errors?.[0]?.extensions?.code, "NOT_FOUND");
    const foreign = await stranger.request(DRAW, { id: cloneId, v: 1 });
    assert.equal(foreign.errors?.[0]?.extensions?.code, "NOT_FOUND");
    const unknown = await api.request(ANSWER, { id: cloneId, trial: "no-such-trial", choice: "CANT_TELL" });
    assert.equal(unknown.errors?.[0]?.extensions?.code, "NOT_FOUND");
  });
});
