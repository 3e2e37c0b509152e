import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { until } from "@aiclone/testing/until";
import { GraphQLTestClient, SubscriptionRecorder } from "../../testing/platform/graphqlClient.js";
import type { PlatformHarness } from "../../testing/platform/platformHarness.js";
import { useTestBaseModels } from "../../testing/platform/testBaseModels.js";
import { telegramExport } from "./telegramExportFixture.js";

// The scenario trains on the random-weight test model, which the production catalogue leaves out.
useTestBaseModels();

/** Settings that make the platform's trainer workers run the stand-in trainer (trainer-gateway/test). */
export const standInTrainerEnv = {
  AICLONE_TRAINING__PYTHON: process.execPath,
  AICLONE_TRAINING__SCRIPT: fileURLToPath(
    new URL("../../trainer-gateway/test/standInTrainer.js", import.meta.url),
  ),
};

export const RUN_FIELDS = `id cloneId status backend worker attempt error adapterVersion metrics
  progress { step totalSteps epoch loss learningRate tokensPerSecond etaSeconds } lossHistory { step loss }`;
export const JOB = `query ($id: ID!) { trainingJob(id: $id) { ${RUN_FIELDS} } }`;
const REQUEST = `mutation ($input: RequestTrainingInput!) { requestTraining(input: $input) {
  status trainingRuns { id status } } }`;

/** A clone with a built dataset (by default the Telegram fixture, Аня as owner), through the public API. */
export async function cloneWithDataset(
  api: GraphQLTestClient,
  exported: { content: string; owner: string } = { content: telegramExport(), owner: "Аня" },
): Promise<string> {
  const { createClone } = await api.data('mutation { createClone(input: {name: "Аня"}) { id } }');
  const id: string = createClone.id;
  const uploaded = await api.upload(
    "mutation ($id: ID!, $file: Upload!) { uploadSource(cloneId: $id, file: $file) { status } }",
    { id },
    "file",
    { name: "result.json", content: exported.content },
  );
  assert.equal(uploaded.errors, undefined, JSON.stringify(uploaded.errors));
  await api.data("mutation ($input: BuildDatasetInput!) { buildDataset(input: $input) { status } }", {
    input: { cloneId: id, owner: exported.owner, valFraction: 0.2 },
  });
  await until("DatasetBuilt", async () => {
    const { clone } = await api.data(
      "query ($id: ID!) { clone(id: $id) { status datasetError { reason } } }",
      { id },
    );
    if (clone.status === "DATASET_FAILED") throw new Error(`dataset failed: ${clone.datasetError.reason}`);
    return clone.status === "DATASET_READY" ? true : undefined;
  });
  return id;
}

/** Requests a training run and returns its job id. */
export async function requestTraining(
  api: GraphQLTestClient,
  cloneId: string,
  hyperparameters: Record<string, unknown>,
  baseModel = "llama-2-tiny-random",
): Promise<string> {
  const { requestTraining } = await api.data(REQUEST, { input: { cloneId, baseModel, hyperparameters } });
  assert.equal(requestTraining.status, "TRAINING_QUEUED");
  return requestTraining.trainingRuns.at(-1).id;
}

export async function job(api: GraphQLTestClient, id: string) {
  return (await api.data(JOB, { id })).trainingJob;
}

export async function finishedJob(api: GraphQLTestClient, id: string, timeoutMs = 60_000) {
  return until(
    `training job ${id} to finish`,
    async () => {
      const current = await job(api, id);
      return ["COMPLETED", "FAILED", "CANCELLED"].includes(current.status) ? current : undefined;
    },
    timeoutMs,
  );
}

export function apiOf(harness: PlatformHarness): GraphQLTestClient {
  return new GraphQLTestClient(harness.platform.graphqlUrl, harness.platform.initialApiKey);
}

export function cloneUpdates(api: GraphQLTestClient, cloneId: string) {
  const client = api.ws();
  const recorder = new SubscriptionRecorder<{ cloneUpdated: any }>(
    client,
    `subscription ($id: ID!) { cloneUpdated(id: $id) { status trainingRuns { ${RUN_FIELDS} } } }`,
    { id: cloneId },
  );
  return {
    recorder,
    close: async () => {
      await recorder.close();
      await client.dispose();
    },
  };
}
