import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";
import { useTestBaseModels } from "../../testing/platform/testBaseModels.js";
import { apiOf, cloneWithDataset, finishedJob, standInTrainerEnv } from "./trainingScenario.js";

// The random-weight test model is not in the production catalogue: this test registers it.
useTestBaseModels();

const REQUEST = `mutation ($input: RequestTrainingInput!) { requestTraining(input: $input) { trainingRuns { id } } }`;
const LINEAGE = `query ($id: ID!) { clone(id: $id) { sources { id } trainingRuns { id adapterVersion metrics
  lineage { datasetVersion sourceIds correctionsIncluded parentAdapterVersion baseModel } } } }`;
const VERSIONS = `currentPublishedVersion publishedVersions { version adapterVersion current }`;

/**
 * Retraining with lineage and choosing the published version, through the API on embedded defaults with the
 * stand-in trainer (it writes the --init-adapter folder's adapter_config.json into its metrics, so the test
 * sees which parent's PEFT files the worker handed it; the real trainer's continuation is trainer/tests).
 */
describe("retrain with lineage; publish a chosen version and go back", () => {
  let harness: PlatformHarness;
  before(async () => {
    process.env.STANDIN_STEP_MS = "10";
    harness = await PlatformHarness.start(standInTrainerEnv);
  });
  after(() => harness.destroy());

  it("continues v2 from v1, records both lineages, publishes v1 then v2 and goes back to v1", async () => {
    const api = apiOf(harness);
    const cloneId = await cloneWithDataset(api);
    const train = async (input: Record<string, unknown>) => {
      const { requestTraining } = await api.data(REQUEST, {
        input: { cloneId, hyperparameters: { maxSteps: 3 }, ...input },
      });
      const id: string = requestTraining.trainingRuns.at(-1).id;
      assert.equal((await finishedJob(api, id)).status, "COMPLETED");
      return id;
    };
    const v1 = await train({ baseModel: "llama-2-tiny-random" });
    // No base model named: a continued run takes its parent's.
    const v2 = await train({ continueFrom: 1 });

    const { clone } = await api.data(LINEAGE, { id: cloneId });
    const sourceIds = clone.sources.map((s: { id: string }) => s.id);
    const [run1, run2] = clone.trainingRuns;
    assert.deepEqual([run1.id, run1.adapterVersion, run2.id, run2.adapterVersion], [v1, 1, v2, 2]);
    const lineage = {
      datasetVersion: 1,
      sourceIds,
      correctionsIncluded: 0,
      baseModel: "llama-2-tiny-random",
    };
    assert.deepEqual(run1.lineage, { ...lineage, parentAdapterVersion: null });
    assert.deepEqual(run2.lineage, { ...lineage, parentAdapterVersion: 1 });
    assert.equal(run1.metrics.init_adapter, undefined, "a fresh run gets no --init-adapter");
    assert.match(
      run2.metrics.init_adapter.trainedIn,
      new RegExp(`${v1}-1/out$`),
      "v2 started from v1's PEFT files",
    );

    const refused = await api.request(REQUEST, {
      input: { cloneId, baseModel: "smollm2-135m-instruct", continueFrom: 2 },
    });
    assert.equal(refused.errors?.[0]?.extensions?.code, "CONFLICT");
    assert.match(
      refused.errors?.[0]?.message ?? "",
      /adapter version 2 was trained on base model 'llama-2-tiny-random'.*not 'smollm2-135m-instruct'/,
    );
    const missing = await api.request(REQUEST, { input: { cloneId, continueFrom: 7 } });
    assert.equal(missing.errors?.[0]?.extensions?.code, "CONFLICT");
    assert.match(missing.errors?.[0]?.message ?? "", /adapter version 7 does not exist/);

    const publish = async (adapterVersion?: number) =>
      (
        await api.data(
          `mutation ($id: ID!, $a: Int) { publishClone(cloneId: $id, adapterVersion: $a) { ${VERSIONS} } }`,
          { id: cloneId, a: adapterVersion ?? null },
        )
      ).publishClone;
    const latest = async () => {
      const response = await fetch(`${harness.platform.url}/clones/${cloneId}/bundles/latest/manifest`, {
        headers: { authorization: `Bearer ${harness.platform.initialApiKey}` },
      });
      assert.equal(response.status, 200);
      return ((await response.json()) as { version: number }).version;
    };
    assert.deepEqual(await publish(1), {
      currentPublishedVersion: 1,
      publishedVersions: [{ version: 1, adapterVersion: 1, current: true }],
    });
    assert.equal(await latest(), 1);
    assert.deepEqual((await publish()).publishedVersions.at(-1), {
      version: 2,
      adapterVersion: 2,
      current: true,
    });
    assert.equal(await latest(), 2);

    const { selectPublishedVersion } = await api.data(
      `mutation ($id: ID!) { selectPublishedVersion(cloneId: $id, version: 1) { status ${VERSIONS} } }`,
      { id: cloneId },
    );
    assert.deepEqual(selectPublishedVersion, {
      status: "PUBLISHED",
      currentPublishedVersion: 1,
      publishedVersions: [
        { version: 1, adapterVersion: 1, current: true },
        { version: 2, adapterVersion: 2, current: false },
      ],
    });
    assert.equal(await latest(), 1, "the install command's latest is the version gone back to");
    const unknown = await api.request(
      "mutation ($id: ID!) { selectPublishedVersion(cloneId: $id, version: 9) { id } }",
      { id: cloneId },
    );
    assert.equal(unknown.errors?.[0]?.extensions?.code, "CONFLICT");
    const badAdapter = await api.request(
      "mutation ($id: ID!) { publishClone(cloneId: $id, adapterVersion: 5) { id } }",
      {
        id: cloneId,
      },
    );
    assert.equal(badAdapter.errors?.[0]?.extensions?.code, "CONFLICT");
  });
});
