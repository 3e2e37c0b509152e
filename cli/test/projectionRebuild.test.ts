import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  type Actor,
  type CloneCommand,
  cloneDecider,
  cloneStreamId,
  newId,
  parseCloneEvent,
  principalOf,
} from "../../domain/index.js";
import type { Document } from "../../infra/docstore/documentStore.js";
import { CommandHandler } from "../../infra/eventsourcing/commandHandler.js";
import { ReadModels } from "../../projections/readModels.js";
import { ReadModelWaiter } from "../../projections/readModelWaiter.js";
import { rebuildReadModels } from "../../projections/rebuild.js";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";

const worker: Actor = { kind: "system", name: "test-worker" };

/** Every event type of the lifecycle, through the real decider, for one clone. */
function lifecycle(cloneId: string, owner: Actor, variant: number): CloneCommand[] {
  const runA = newId();
  const runB = newId();
  const sourceId = newId();
  const steps: DistributiveOmit<CloneCommand, "cloneId">[] = [
    { type: "CreateClone", actor: owner, name: `клон ${variant}` },
    {
      type: "ConfigurePersona",
      actor: owner,
      displayName: "Вася",
      systemPrompt: "пиши как Вася 😎",
      language: "ru",
    },
    {
      type: "RecordSourceUpload",
      actor: owner,
      sourceId,
      fileName: "result.json",
      size: 10,
      sha256: "a".repeat(64),
      artifactKey: `clones/${cloneId}/sources/${sourceId}`,
    },
    { type: "RecordDatasetFailed", actor: worker, reason: "owner is ambiguous: Вася, Vasya" },
    {
      type: "RecordDatasetBuilt",
      actor: worker,
      sourceIds: [sourceId],
      artifactKey: `clones/${cloneId}/datasets/1`,
      stats: {
        conversations: 3,
        samples: 40,
        ownerMessages: 120,
        droppedMessages: 7,
        trainSamples: 36,
        validationSamples: 4,
      },
    },
    {
      type: "RequestTraining",
      actor: owner,
      runId: runA,
      baseModel: "smollm2-135m-instruct",
      hyperparameters: { rank: 8 },
    },
    { type: "StartTraining", actor: worker, runId: runA, backend: "cpu" },
    {
      type: "ReportTrainingProgress",
      actor: worker,
      runId: runA,
      step: 5,
      totalSteps: 10,
      epoch: 0.5,
      loss: 2.5,
    },
    { type: "FailTraining", actor: worker, runId: runA, reason: "out of memory" },
    {
      type: "RequestTraining",
      actor: owner,
      runId: runB,
      baseModel: "smollm2-135m-instruct",
      hyperparameters: {},
    },
    { type: "StartTraining", actor: worker, runId: runB, backend: "cpu" },
    {
      type: "ReportTrainingProgress",
      actor: worker,
      runId: runB,
      step: 10,
      totalSteps: 10,
      epoch: 1,
      loss: 1.2,
      learningRate: 0.0002,
      tokensPerSecond: 900,
      etaSeconds: 0,
    },
    {
      type: "CompleteTraining",
      actor: worker,
      runId: runB,
      artifactKey: `clones/${cloneId}/adapters/1`,
      metrics: { perplexity: { base: 40.1, adapter: 21.3 } },
    },
    {
      type: "PublishClone",
      actor: owner,
      version: 1,
      artifactKey: `clones/${cloneId}/bundles/1.tar.gz`,
      sha256: "c".repeat(64),
      size: 4096,
    },
    {
      type: "CreateInstallToken",
      actor: owner,
      tokenId: `tok-${variant}`,
      name: "ноутбук",
      hash: "d".repeat(64),
      prefix: "ait_0000",
      createdAt: "2026-11-26T10:00:00.000Z",
      expiresAt: "2026-12-03T10:00:00.000Z",
    },
    { type: "PurgeRawData", actor: owner },
    ...(variant % 2 === 0 ? [{ type: "DeleteClone", actor: owner } as const] : []),
  ];
  return steps.map((step) => ({ ...step, cloneId }) as CloneCommand);
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

async function allDocs(
  models: ReadModels,
): Promise<Record<"clones" | "owners" | "apiKeys" | "streamPositions", Document[]>> {
  const sort = { field: "_id", direction: "asc" } as const;
  return {
    clones: await models.clones.find({}, { sort }),
    owners: await models.owners.find({}, { sort }),
    apiKeys: await models.apiKeys.find({}, { sort }),
    streamPositions: await models.streamPositions.find({}, { sort }),
  };
}

describe("projection rebuild", () => {
  let harness: PlatformHarness;
  before(async () => {
    harness = await PlatformHarness.start();
  });
  after(() => harness.destroy());

  it("replaying the log from event zero gives exactly the read models live updates gave", async () => {
    const { eventStore, documents } = harness.platform.adapters;
    const live = harness.platform.models;
    const commands = new CommandHandler(eventStore);
    const waiter = new ReadModelWaiter(live);
    const second = await harness.platform.services.owners.createOwner("второй", worker);
    const owners: Actor[] = [
      { kind: "owner", ownerId: (await live.owners.find())[0]!._id },
      { kind: "owner", ownerId: second.ownerId },
    ];
    let revision = -1;
    const clones = Array.from({ length: 6 }, () => newId());
    await Promise.all(
      clones.map(async (cloneId, i) => {
        for (const command of lifecycle(cloneId, owners[i % 2]!, i)) {
          const outcome = await commands.handle(
            cloneStreamId(cloneId),
            cloneDecider,
            parseCloneEvent,
            command,
            { principal: principalOf(command.actor) },
          );
          revision = outcome.revision;
        }
        assert.ok(await waiter.waitFor(cloneStreamId(cloneId), revision));
      }),
    );

    const rebuilt = new ReadModels(documents, "rebuild_");
    const applied = await rebuildReadModels(eventStore, rebuilt);
    assert.ok(applied >= 6 * 15, `applied ${applied} events`);
    const liveDocs = await allDocs(live);
    assert.equal(liveDocs.clones.length, 6);
    assert.ok(
      liveDocs.clones.some((c) => c.deleted === true) &&
        liveDocs.clones.some((c) => c.status === "PUBLISHED"),
    );
    assert.deepEqual(await allDocs(rebuilt), liveDocs);
    await rebuilt.drop();
  });
});
