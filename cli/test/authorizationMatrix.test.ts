import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { until } from "@aiclone/testing/until";
import { GraphQLObjectType } from "graphql";
import { buildApiSchema } from "../../api/schema.js";
import { type GraphQLResponse, GraphQLTestClient } from "../../testing/platform/graphqlClient.js";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";
import { useTestBaseModels } from "../../testing/platform/testBaseModels.js";
import { telegramExport } from "./telegramExportFixture.js";
import {
  cloneWithDataset,
  finishedJob,
  requestTraining as requestTrainingOf,
  standInTrainerEnv,
} from "./trainingScenario.js";

// The random-weight test model is not in the production catalogue: this test registers it.
useTestBaseModels();

/**
 * Every query, mutation, subscription and HTTP endpoint, called as nobody, with a revoked key, another
 * owner's key, an install token, and the right key. The operations come from the schema itself, so a new
 * field without a rule here fails this test.
 */
type Caller = "none" | "revoked" | "stranger" | "installToken" | "owner";
type Outcome = "UNAUTHENTICATED" | "NOT_FOUND" | "NULL" | "OWN" | "OK";

interface Fixture {
  cloneId: string;
  runId: string;
  keyToRevoke: string;
  installTokenId: string;
  /** A clone with a trained adapter (version 1), and a preview reply of it. */
  trainedCloneId: string;
  replyId: string;
  /** A blind-test trial of that adapter, drawn by the owner. */
  trialId: string;
}

interface Case {
  document: string;
  variables: (f: Fixture) => Record<string, unknown>;
  /** What another owner's key gets: the clone answers as missing, or the query returns their own data. */
  stranger: Outcome;
  /** An owner call may be refused by a lifecycle rule (CONFLICT) and still have passed authorization. */
  ownerMayConflict?: boolean;
  upload?: boolean;
}

const CLONE = "{ id status }";
const cases: Record<string, Case> = {
  "Query.me": { document: "{ me { id } }", variables: () => ({}), stranger: "OWN" },
  "Query.baseModels": { document: "{ baseModels { name } }", variables: () => ({}), stranger: "OWN" },
  "Query.clones": {
    document: "{ clones { totalCount nodes { id } } }",
    variables: () => ({}),
    stranger: "OWN",
  },
  "Query.clone": {
    document:
      "query ($id: ID!) { clone(id: $id) { id currentPublishedVersion corrections { total notInDataset } publishedVersions { version current } trainingRuns { lineage { datasetVersion sourceIds correctionsIncluded parentAdapterVersion baseModel } } } }",
    variables: (f) => ({ id: f.cloneId }),
    stranger: "NULL",
  },
  "Query.cloneEvents": {
    document: "query ($id: ID!) { cloneEvents(id: $id) { type } }",
    variables: (f) => ({ id: f.cloneId }),
    stranger: "NOT_FOUND",
  },
  "Query.trainingJob": {
    document: "query ($id: ID!) { trainingJob(id: $id) { id status } }",
    variables: (f) => ({ id: f.runId }),
    stranger: "NULL",
  },
  "Mutation.createClone": {
    document: 'mutation { createClone(input: {name: "проверка"}) { id } }',
    variables: () => ({}),
    stranger: "OWN",
  },
  "Mutation.configurePersona": {
    document: `mutation ($id: ID!) { configurePersona(input: {cloneId: $id, displayName: "Аня", systemPrompt: "Ты — Аня.", language: "ru"}) ${CLONE} }`,
    variables: (f) => ({ id: f.cloneId }),
    stranger: "NOT_FOUND",
  },
  "Mutation.renameClone": {
    document: `mutation ($id: ID!) { renameClone(cloneId: $id, name: "Аня с работы") ${CLONE} }`,
    variables: (f) => ({ id: f.cloneId }),
    stranger: "NOT_FOUND",
  },
  "Mutation.uploadSource": {
    document: `mutation ($id: ID!, $file: Upload!) { uploadSource(cloneId: $id, file: $file) ${CLONE} }`,
    variables: (f) => ({ id: f.cloneId }),
    stranger: "NOT_FOUND",
    upload: true,
  },
  "Mutation.buildDataset": {
    document: `mutation ($id: ID!) { buildDataset(input: {cloneId: $id, owner: "Аня"}) ${CLONE} }`,
    variables: (f) => ({ id: f.cloneId }),
    stranger: "NOT_FOUND",
    ownerMayConflict: true,
  },
  "Mutation.requestTraining": {
    // Continuing from an adapter version: another owner's clone is missing before its versions are looked at.
    document: `mutation ($id: ID!) { requestTraining(input: {cloneId: $id, baseModel: "llama-2-tiny-random", continueFrom: 1, hyperparameters: {maxSteps: 2}}) ${CLONE} }`,
    variables: (f) => ({ id: f.cloneId }),
    stranger: "NOT_FOUND",
    ownerMayConflict: true,
  },
  "Mutation.cancelTraining": {
    document: "mutation ($id: ID!) { cancelTraining(id: $id) { id status } }",
    variables: (f) => ({ id: f.runId }),
    stranger: "NOT_FOUND",
    ownerMayConflict: true,
  },
  "Mutation.publishClone": {
    document: `mutation ($id: ID!) { publishClone(cloneId: $id, adapterVersion: 1) ${CLONE} }`,
    variables: (f) => ({ id: f.cloneId }),
    stranger: "NOT_FOUND",
    ownerMayConflict: true,
  },
  "Mutation.selectPublishedVersion": {
    document: `mutation ($id: ID!) { selectPublishedVersion(cloneId: $id, version: 1) ${CLONE} }`,
    variables: (f) => ({ id: f.cloneId }),
    stranger: "NOT_FOUND",
    ownerMayConflict: true,
  },
  "Mutation.createInstallToken": {
    document: "mutation ($id: ID!) { createInstallToken(cloneId: $id) { token } }",
    variables: (f) => ({ id: f.cloneId }),
    stranger: "NOT_FOUND",
  },
  "Mutation.revokeInstallToken": {
    document: "mutation ($id: ID!, $t: ID!) { revokeInstallToken(cloneId: $id, tokenId: $t) { id active } }",
    variables: (f) => ({ id: f.cloneId, t: f.installTokenId }),
    stranger: "NOT_FOUND",
  },
  "Mutation.createApiKey": {
    document: 'mutation { createApiKey(name: "ещё") { secret } }',
    variables: () => ({}),
    stranger: "OWN",
  },
  "Mutation.revokeApiKey": {
    document: "mutation ($id: ID!) { revokeApiKey(id: $id) { id } }",
    variables: (f) => ({ id: f.keyToRevoke }),
    stranger: "NOT_FOUND",
  },
  "Mutation.purgeRawData": {
    document: `mutation ($id: ID!) { purgeRawData(cloneId: $id) ${CLONE} }`,
    variables: (f) => ({ id: f.cloneId }),
    stranger: "NOT_FOUND",
  },
  "Mutation.deleteClone": {
    document: `mutation ($id: ID!) { deleteClone(cloneId: $id) ${CLONE} }`,
    variables: (f) => ({ id: f.cloneId }),
    stranger: "NOT_FOUND",
  },
  "Mutation.startPreviewReply": {
    document:
      'mutation ($id: ID!) { startPreviewReply(input: {cloneId: $id, adapterVersion: 1, messages: [{role: USER, content: "привет"}]}) { id } }',
    variables: (f) => ({ id: f.trainedCloneId }),
    stranger: "NOT_FOUND",
  },
  "Mutation.drawBlindTestTrial": {
    document:
      "mutation ($id: ID!) { drawBlindTestTrial(input: {cloneId: $id, adapterVersion: 1}) { id candidates { id text } } }",
    variables: (f) => ({ id: f.trainedCloneId }),
    stranger: "NOT_FOUND",
  },
  "Mutation.answerBlindTestTrial": {
    document:
      "mutation ($id: ID!, $trial: ID!) { answerBlindTestTrial(input: {cloneId: $id, trialId: $trial, choice: CANT_TELL}) { outcome result { answers } } }",
    variables: (f) => ({ id: f.trainedCloneId, trial: f.trialId }),
    stranger: "NOT_FOUND",
  },
  "Query.corrections": {
    document: "query ($id: ID!) { corrections(cloneId: $id) { totalCount nodes { id ownerText } } }",
    variables: (f) => ({ id: f.trainedCloneId }),
    stranger: "NOT_FOUND",
  },
  "Mutation.recordCorrection": {
    document:
      'mutation ($id: ID!) { recordCorrection(input: {cloneId: $id, adapterVersion: 1, context: [{role: USER, content: "привет"}], draft: "здравствуйте", ownerText: "приветик"}) { correction { id } clone { corrections { total notInDataset } } } }',
    variables: (f) => ({ id: f.trainedCloneId }),
    stranger: "NOT_FOUND",
  },
  "Mutation.importCorrections": {
    document:
      "mutation ($id: ID!, $text: String!) { importCorrections(input: {cloneId: $id, text: $text}) { imported alreadyRecorded } }",
    variables: (f) => ({
      id: f.trainedCloneId,
      text: JSON.stringify({
        format: "aiclone-corrections",
        version: 1,
        clone: { id: null, displayName: "Аня", adapterVersion: 1 },
        exportedAt: "2026-12-06T23:00:00Z",
        corrections: [
          {
            id: "tg-1",
            at: "2026-12-06T22:00:00Z",
            channel: "telegram",
            context: [{ role: "user", content: "как дела?" }],
            draft: "нормально",
            ownerText: "да отлично всё",
          },
        ],
      }),
    }),
    stranger: "NOT_FOUND",
  },
  "Subscription.previewReply": {
    document: "subscription ($id: ID!) { previewReply(replyId: $id) { seq text done } }",
    variables: (f) => ({ id: f.replyId }),
    stranger: "NOT_FOUND",
  },
  "Subscription.cloneUpdated": {
    document: "subscription ($id: ID!) { cloneUpdated(id: $id) { id status } }",
    variables: (f) => ({ id: f.cloneId }),
    stranger: "NOT_FOUND",
  },
  "Subscription.cloneEvents": {
    document: "subscription ($id: ID!) { cloneEvents(id: $id) { type } }",
    variables: (f) => ({ id: f.cloneId }),
    stranger: "NOT_FOUND",
  },
};

function outcomeOf(result: GraphQLResponse): Outcome | string {
  const code = result.errors?.[0]?.extensions?.code;
  if (typeof code === "string") return code;
  const data = result.data ?? {};
  const first = Object.values(data)[0];
  return first === null ? "NULL" : "OK";
}

describe("authorization matrix: every operation × every kind of caller", () => {
  let harness: PlatformHarness;
  let owner: GraphQLTestClient;
  const tokens = {} as Record<Caller, string | null>;
  const fixture = {} as Fixture;

  before(async () => {
    process.env.STANDIN_STEP_MS = "20";
    harness = await PlatformHarness.start({ ...standInTrainerEnv, AICLONE_PREVIEW__CPU: "true" });
    owner = new GraphQLTestClient(harness.platform.graphqlUrl, harness.platform.initialApiKey);
    // Trained first: the long job below would keep the local trainer busy.
    fixture.trainedCloneId = await cloneWithDataset(owner);
    const trained = await finishedJob(
      owner,
      await requestTrainingOf(owner, fixture.trainedCloneId, { maxSteps: 2 }),
    );
    assert.equal(trained.status, "COMPLETED");
    const { startPreviewReply } = await owner.data(
      'mutation ($id: ID!) { startPreviewReply(input: {cloneId: $id, adapterVersion: 1, messages: [{role: USER, content: "привет"}]}) { id } }',
      { id: fixture.trainedCloneId },
    );
    fixture.replyId = startPreviewReply.id;
    const { drawBlindTestTrial } = await owner.data(
      "mutation ($id: ID!) { drawBlindTestTrial(input: {cloneId: $id, adapterVersion: 1}) { id } }",
      { id: fixture.trainedCloneId },
    );
    fixture.trialId = drawBlindTestTrial.id;
    const { createClone } = await owner.data('mutation { createClone(input: {name: "Аня"}) { id } }');
    fixture.cloneId = createClone.id;
    const revoked = await owner.data('mutation { createApiKey(name: "старый") { secret apiKey { id } } }');
    await owner.data("mutation ($id: ID!) { revokeApiKey(id: $id) { id } }", {
      id: revoked.createApiKey.apiKey.id,
    });
    const spare = await owner.data('mutation { createApiKey(name: "запасной") { apiKey { id } } }');
    fixture.keyToRevoke = spare.createApiKey.apiKey.id;
    const install = await owner.data(
      "mutation ($id: ID!) { createInstallToken(cloneId: $id) { token installToken { id } } }",
      { id: fixture.cloneId },
    );
    fixture.installTokenId = install.createInstallToken.installToken.id;
    const stranger = await harness.platform.services.owners.createOwner("Чужой", {
      kind: "system",
      name: "test",
    });
    tokens.none = null;
    tokens.revoked = revoked.createApiKey.secret;
    tokens.stranger = stranger.token;
    tokens.installToken = install.createInstallToken.token;
    tokens.owner = harness.platform.initialApiKey;
    // A real training job (long enough to still run when the owner cancels it).
    await owner.upload(
      "mutation ($id: ID!, $file: Upload!) { uploadSource(cloneId: $id, file: $file) { id } }",
      { id: fixture.cloneId },
      "file",
      { name: "result.json", content: telegramExport() },
    );
    await owner.data('mutation ($id: ID!) { buildDataset(input: {cloneId: $id, owner: "Аня"}) { id } }', {
      id: fixture.cloneId,
    });
    await until("the dataset", async () => {
      const { clone } = await owner.data("query ($id: ID!) { clone(id: $id) { status } }", {
        id: fixture.cloneId,
      });
      return clone.status === "DATASET_READY" ? true : undefined;
    });
    const { requestTraining } = await owner.data(
      'mutation ($id: ID!) { requestTraining(input: {cloneId: $id, baseModel: "llama-2-tiny-random", hyperparameters: {maxSteps: 3000}}) { trainingRuns { id } } }',
      { id: fixture.cloneId },
    );
    fixture.runId = requestTraining.trainingRuns.at(-1).id;
  });
  after(() => harness.destroy());

  it("has a rule for every field of the schema", async () => {
    const schema = await buildApiSchema();
    const fields = (["Query", "Mutation", "Subscription"] as const).flatMap((type) => {
      const object = schema.getType(type);
      return object instanceof GraphQLObjectType
        ? Object.keys(object.getFields()).map((f) => `${type}.${f}`)
        : [];
    });
    assert.deepEqual(fields.filter((f) => !cases[f]).sort(), [], "fields without an authorization rule");
    assert.deepEqual(
      Object.keys(cases).filter((c) => !fields.includes(c)),
      [],
      "rules for fields that do not exist",
    );
  });

  const run = async (caller: Caller, name: string, c: Case): Promise<GraphQLResponse> => {
    const client = new GraphQLTestClient(harness.platform.graphqlUrl, tokens[caller]);
    if (name.startsWith("Subscription.")) {
      const ws = client.ws();
      try {
        const first = new Promise<GraphQLResponse>((resolve) => {
          ws.subscribe(
            { query: c.document, variables: c.variables(fixture) },
            {
              next: (value) => resolve(value as GraphQLResponse),
              error: (error) => {
                // graphql-ws hands over the GraphQL errors of a refused subscription as an array.
                const errors = (Array.isArray(error) ? error : [error]) as GraphQLResponse["errors"];
                resolve({ errors: errors ?? [] });
              },
              complete: () => resolve({ errors: [{ message: "completed without a result" }] }),
            },
          );
        });
        // Something must happen to the clone for an accepted subscription to deliver.
        await new Promise((r) => setTimeout(r, 150));
        await owner.data(
          'mutation ($id: ID!) { configurePersona(input: {cloneId: $id, displayName: "Аня", systemPrompt: "x", language: "ru"}) { id } }',
          { id: fixture.cloneId },
        );
        const timeout = new Promise<GraphQLResponse>((resolve) =>
          setTimeout(() => resolve({ errors: [{ message: "no result in 5 s" }] }), 5_000),
        );
        return await Promise.race([first, timeout]);
      } finally {
        await ws.dispose();
      }
    }
    const variables = c.variables(fixture);
    return c.upload
      ? client.upload(c.document, variables, "file", { name: "result.json", content: telegramExport() })
      : client.request(c.document, variables);
  };

  for (const caller of ["none", "revoked", "installToken", "stranger"] as const)
    it(`refuses ${caller === "none" ? "a request without a key" : `a request with ${caller === "stranger" ? "another owner's key" : caller === "revoked" ? "a revoked key" : "an install token"}`}`, async () => {
      const seen: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const [name, c] of Object.entries(cases)) {
        seen[name] = outcomeOf(await run(caller, name, c));
        expected[name] =
          caller === "stranger" ? (c.stranger === "OWN" ? "OK" : c.stranger) : "UNAUTHENTICATED";
      }
      assert.deepEqual(seen, expected);
    });

  it("lets the owner do all of it (a lifecycle CONFLICT is an answer past authorization)", async () => {
    const seen: Record<string, string> = {};
    // Deleting the clone comes last, or everything after it would rightly answer NOT_FOUND.
    const ordered = Object.entries(cases).sort(
      ([a], [b]) => Number(a === "Mutation.deleteClone") - Number(b === "Mutation.deleteClone"),
    );
    for (const [name, c] of ordered) {
      const outcome = outcomeOf(await run("owner", name, c));
      seen[name] = outcome === "CONFLICT" && c.ownerMayConflict ? "OK" : outcome;
    }
    assert.deepEqual(seen, Object.fromEntries(Object.keys(cases).map((name) => [name, "OK"])));
  });

  it("guards the HTTP endpoints the same way", async () => {
    const base = harness.platform.url;
    const get = async (path: string, caller: Caller) => {
      const token = tokens[caller];
      const response = await fetch(
        `${base}${path}`,
        token ? { headers: { authorization: `Bearer ${token}` } } : {},
      );
      await response.arrayBuffer();
      return response.status;
    };
    // Public: health, the installer, the runtime package (nothing personal in them).
    for (const caller of ["none", "stranger"] as const) {
      assert.equal(await get("/healthz", caller), 200);
      assert.equal(await get("/install_clone.sh", caller), 200);
    }
    // A clone's bundles: its install token or its owner; the rest are refused. (Nothing is published here:
    // the right callers get 404 "no published version", everyone else 401/404 before that.)
    const { createClone } = await new GraphQLTestClient(harness.platform.graphqlUrl, tokens.owner).data(
      'mutation { createClone(input: {name: "ещё"}) { id } }',
    );
    const install = await owner.data("mutation ($id: ID!) { createInstallToken(cloneId: $id) { token } }", {
      id: createClone.id,
    });
    tokens.installToken = install.createInstallToken.token;
    const manifest = `/clones/${createClone.id}/bundles/latest/manifest`;
    const bundle = `/clones/${createClone.id}/bundles/1`;
    const statuses = Object.fromEntries(
      await Promise.all(
        (["none", "revoked", "stranger", "installToken", "owner"] as const).map(async (caller) => [
          caller,
          [await get(manifest, caller), await get(bundle, caller)],
        ]),
      ),
    );
    assert.deepEqual(statuses, {
      none: [401, 401],
      revoked: [401, 401],
      stranger: [404, 404],
      installToken: [404, 404],
      owner: [404, 404],
    });
  });
});
