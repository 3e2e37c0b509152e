import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Actor } from "../decider.js";
import { scenario } from "../test/givenWhenThen.js";
import type { CloneCommand } from "./commands.js";
import { cloneDecider } from "./decide.js";
import type { CloneEvent } from "./events.js";

const cloneId = "c1";
const owner: Actor = { kind: "owner", ownerId: "o1" };
const stranger: Actor = { kind: "owner", ownerId: "o2" };
const worker: Actor = { kind: "system", name: "pipeline" };
const sha = "a".repeat(64);
const given = scenario(cloneDecider);

const created: CloneEvent = { type: "CloneCreated", data: { cloneId, ownerId: "o1", name: "Аня" } };
const uploaded: CloneEvent = {
  type: "SourceUploaded",
  data: { cloneId, sourceId: "s1", fileName: "result.json", size: 10, sha256: sha, artifactKey: "k" },
};
const stats = { conversations: 3, samples: 20, ownerMessages: 40, droppedMessages: 2 };
const built: CloneEvent = {
  type: "DatasetBuilt",
  data: { cloneId, version: 1, sourceIds: ["s1"], artifactKey: "d1", stats },
};
const requested: CloneEvent = {
  type: "TrainingRequested",
  data: {
    cloneId,
    runId: "r1",
    datasetVersion: 1,
    datasetArtifactKey: "d1",
    baseModel: "smollm2-135m",
    hyperparameters: {},
    lineage: { sourceIds: ["s1"], correctionsIncluded: 0, parent: null },
  },
};
const started: CloneEvent = {
  type: "TrainingStarted",
  data: { cloneId, runId: "r1", backend: "local", attempt: 1 },
};
const completed: CloneEvent = {
  type: "TrainingCompleted",
  data: { cloneId, runId: "r1", adapterVersion: 1, artifactKey: "a1", metrics: {} },
};
const deleted: CloneEvent = { type: "CloneDeleted", data: { cloneId } };

const cmd = <T extends CloneCommand["type"]>(
  type: T,
  rest: Omit<Extract<CloneCommand, { type: T }>, "type" | "cloneId" | "actor">,
  actor: Actor = owner,
) => ({ type, cloneId, actor, ...rest }) as unknown as CloneCommand;

describe("clone decider", () => {
  describe("CreateClone", () => {
    it("creates a clone owned by the actor, name trimmed and NFC-normalised", () =>
      given([])
        .when(cmd("CreateClone", { name: "  Аня\u0301  " }))
        .then([
          { type: "CloneCreated", data: { cloneId, ownerId: "o1", name: "Аня\u0301".normalize("NFC") } },
        ]));
    it("refuses a second creation of the same id", () =>
      given([created])
        .when(cmd("CreateClone", { name: "x" }))
        .thenRefused("CONFLICT", "already exists"));
    it("refuses an empty name", () =>
      given([])
        .when(cmd("CreateClone", { name: "   " }))
        .thenRefused("INVALID", "name: must not be empty"));
    it("refuses a name over 80 characters", () =>
      given([])
        .when(cmd("CreateClone", { name: "я".repeat(81) }))
        .thenRefused("INVALID", "at most 80"));
    it("refuses a workers' attempt to create", () =>
      given([])
        .when(cmd("CreateClone", { name: "x" }, worker))
        .thenRefused("FORBIDDEN", "owner"));
  });

  describe("ConfigurePersona", () => {
    const persona = { displayName: "Аня", systemPrompt: "Ты — Аня.\nОтвечай коротко.", language: "ru" };
    it("records the persona", () =>
      given([created])
        .when(cmd("ConfigurePersona", persona))
        .then([{ type: "PersonaConfigured", data: { cloneId, ...persona } }]));
    it("bounds the system prompt at 8000 characters", () =>
      given([created])
        .when(cmd("ConfigurePersona", { ...persona, systemPrompt: "ж".repeat(8001) }))
        .thenRefused("INVALID", "systemPrompt: must have at most 8000"));
    it("refuses control characters", () =>
      given([created])
        .when(cmd("ConfigurePersona", { ...persona, systemPrompt: "hi\u0007" }))
        .thenRefused("INVALID", "control characters"));
    it("refuses a language that is not a language tag", () =>
      given([created])
        .when(cmd("ConfigurePersona", { ...persona, language: "Russian" }))
        .thenRefused("INVALID", "language"));
    it("refuses a single-line field with a newline", () =>
      given([created])
        .when(cmd("ConfigurePersona", { ...persona, displayName: "a\nb" }))
        .thenRefused("INVALID", "displayName: must be a single line"));
    it("refuses an unknown clone", () =>
      given([]).when(cmd("ConfigurePersona", persona)).thenRefused("NOT_FOUND", "does not exist"));
    it("hides another owner's clone as not found", () =>
      given([created])
        .when(cmd("ConfigurePersona", persona, stranger))
        .thenRefused("NOT_FOUND", "does not exist"));
  });

  describe("RenameClone", () => {
    it("records the new name, trimmed", () =>
      given([created])
        .when(cmd("RenameClone", { name: "  Аня с работы " }))
        .then([{ type: "CloneRenamed", data: { cloneId, name: "Аня с работы" } }]));
    it("records nothing when the name is the same", () =>
      given([created])
        .when(cmd("RenameClone", { name: "Аня" }))
        .then([]));
    it("takes the latest name as the current one", () =>
      given([created, { type: "CloneRenamed", data: { cloneId, name: "Маша" } }])
        .when(cmd("RenameClone", { name: "Аня" }))
        .then([{ type: "CloneRenamed", data: { cloneId, name: "Аня" } }]));
    it("refuses an empty name", () =>
      given([created])
        .when(cmd("RenameClone", { name: "   " }))
        .thenRefused("INVALID", "name"));
    it("bounds the name at 80 characters", () =>
      given([created])
        .when(cmd("RenameClone", { name: "ж".repeat(81) }))
        .thenRefused("INVALID", "name: must have at most 80"));
    it("hides another owner's clone as not found", () =>
      given([created])
        .when(cmd("RenameClone", { name: "Маша" }, stranger))
        .thenRefused("NOT_FOUND", "does not exist"));
  });

  describe("RecordSourceUpload", () => {
    const upload = { sourceId: "s1", fileName: "result.json", size: 10, sha256: sha, artifactKey: "k" };
    it("records the upload", () => given([created]).when(cmd("RecordSourceUpload", upload)).then([uploaded]));
    it("treats the same archive uploaded again as a no-op", () =>
      given([created, uploaded])
        .when(cmd("RecordSourceUpload", { ...upload, sourceId: "s2" }))
        .then([]));
    it("refuses a bad checksum", () =>
      given([created])
        .when(cmd("RecordSourceUpload", { ...upload, sha256: "xyz" }))
        .thenRefused("INVALID", "sha256"));
    it("refuses an empty file", () =>
      given([created])
        .when(cmd("RecordSourceUpload", { ...upload, size: 0 }))
        .thenRefused("INVALID", "size"));
    it("refuses a file name with a path", () =>
      given([created])
        .when(cmd("RecordSourceUpload", { ...upload, fileName: "../etc/passwd" }))
        .thenRefused("INVALID", "path separators"));
    it("refuses the 101st source", () => {
      const many: CloneEvent[] = Array.from({ length: 100 }, (_, i) => ({
        type: "SourceUploaded",
        data: {
          cloneId,
          sourceId: `s${i}`,
          fileName: "f",
          size: 1,
          sha256: i.toString(16).padStart(64, "0"),
          artifactKey: "k",
        },
      }));
      given([created, ...many])
        .when(cmd("RecordSourceUpload", upload))
        .thenRefused("CONFLICT", "at most 100");
    });
  });

  describe("datasets (workers only)", () => {
    it("numbers dataset versions 1, 2, …", () => {
      const command = cmd("RecordDatasetBuilt", { sourceIds: ["s1"], artifactKey: "d2", stats }, worker);
      given([created, uploaded])
        .when(command)
        .then([{ ...built, data: { ...built.data, artifactKey: "d2" } }]);
      assert.equal(
        (given([created, uploaded, built]).when(command).events()[0]!.data as { version: number }).version,
        2,
      );
    });
    it("refuses a dataset from an unknown source", () =>
      given([created, uploaded])
        .when(cmd("RecordDatasetBuilt", { sourceIds: ["nope"], artifactKey: "d", stats }, worker))
        .thenRefused("INVALID", "unknown source nope"));
    it("refuses an owner recording a dataset", () =>
      given([created, uploaded])
        .when(cmd("RecordDatasetBuilt", { sourceIds: ["s1"], artifactKey: "d", stats }))
        .thenRefused("FORBIDDEN", "workers"));
    it("records a failure with its reason", () =>
      given([created, uploaded])
        .when(cmd("RecordDatasetFailed", { reason: "no messages by the owner" }, worker))
        .then([{ type: "DatasetFailed", data: { cloneId, reason: "no messages by the owner" } }]));
  });

  describe("source inspection and dataset requests", () => {
    const inspection = {
      formats: ["telegram-json"],
      messages: 120,
      chats: [{ id: "42", name: "Маша", type: "personal", messages: 120 }],
      participants: [{ id: "user1", name: "Аня", messages: 70 }],
      firstMessageAt: "2024-01-01T10:00:00.000Z",
      lastMessageAt: "2024-02-01T10:00:00.000Z",
      ownerCandidate: { id: "user1", name: "Аня" },
      skipped: 0,
    };
    const inspected: CloneEvent = { type: "SourceInspected", data: { cloneId, sourceId: "s1", inspection } };
    const spec = {
      owner: "Аня",
      includeChats: [],
      excludeChats: ["Работа"],
      includeContacts: [],
      excludeContacts: [],
    };
    const datasetRequested: CloneEvent = {
      type: "DatasetRequested",
      data: {
        cloneId,
        requestId: "q1",
        sourceIds: ["s1"],
        spec,
        sources: [{ sourceId: "s1", fileName: "result.json", artifactKey: "k" }],
      },
    };
    it("records what a worker found in a source, once", () => {
      const command = cmd("RecordSourceInspection", { sourceId: "s1", inspection }, worker);
      given([created, uploaded]).when(command).then([inspected]);
      given([created, uploaded, inspected]).when(command).then([]);
    });
    it("refuses an inspection from an owner or of an unknown source", () => {
      given([created, uploaded])
        .when(cmd("RecordSourceInspection", { sourceId: "s1", inspection }))
        .thenRefused("FORBIDDEN", "workers");
      given([created, uploaded])
        .when(cmd("RecordSourceInspection", { sourceId: "s9", inspection }, worker))
        .thenRefused("INVALID", "unknown source s9");
    });
    it("requests a dataset from every source not purged", () =>
      given([created, uploaded])
        .when(cmd("RequestDataset", { requestId: "q1", spec }))
        .then([datasetRequested]));
    it("needs an uploaded export", () =>
      given([created])
        .when(cmd("RequestDataset", { requestId: "q1", spec }))
        .thenRefused("CONFLICT", "upload one first"));
    it("cannot rebuild once the raw exports were purged", () =>
      given([created, uploaded, built, { type: "RawDataPurged", data: { cloneId, sourceIds: ["s1"] } }])
        .when(cmd("RequestDataset", { requestId: "q2", spec }))
        .thenRefused("CONFLICT", "purged"));
    it("refuses a second request while one is building", () =>
      given([created, uploaded, datasetRequested])
        .when(cmd("RequestDataset", { requestId: "q2", spec }))
        .thenRefused("CONFLICT", "still running"));
    it("takes several identities of one person, the first as `owner`, duplicates once", () =>
      given([created, uploaded])
        .when(
          cmd("RequestDataset", {
            requestId: "q1",
            spec: { ...spec, owners: ["Аня", "+7 900 000-00-00", "Аня"] },
          }),
        )
        .then([
          {
            ...datasetRequested,
            data: {
              ...datasetRequested.data,
              spec: { ...spec, owner: "Аня", owners: ["Аня", "+7 900 000-00-00"] },
            },
          },
        ]));
    it("refuses more identities than the limit, and an empty one", () => {
      const many = Array.from({ length: 21 }, (_, i) => `id${i}`);
      given([created, uploaded])
        .when(cmd("RequestDataset", { requestId: "q1", spec: { ...spec, owner: null, owners: many } }))
        .thenRefused("INVALID", "owners");
      given([created, uploaded])
        .when(cmd("RequestDataset", { requestId: "q1", spec: { ...spec, owner: null, owners: [" "] } }))
        .thenRefused("INVALID", "owners");
    });
    it("asks for the owner's confirmation when the export was made by another account (consent)", () => {
      const other = { ...spec, owner: "Маша" };
      given([created, uploaded, inspected])
        .when(cmd("RequestDataset", { requestId: "q1", spec: other }))
        .thenRefused("INVALID", "ownerConfirmed");
      given([created, uploaded, inspected])
        .when(cmd("RequestDataset", { requestId: "q1", spec: { ...other, ownerConfirmed: true } }))
        .then([
          {
            ...datasetRequested,
            data: { ...datasetRequested.data, spec: { ...other, ownerConfirmed: true } },
          },
        ]);
    });
    it("needs no confirmation when an identity is the exporting account, by id or by name", () => {
      for (const owners of [["user1"], ["Маша", "аня"]])
        given([created, uploaded, inspected])
          .when(
            cmd("RequestDataset", {
              requestId: "q1",
              spec: { ...spec, owner: null, owners, ownerConfirmed: true },
            }),
          )
          .then([
            {
              ...datasetRequested,
              data: { ...datasetRequested.data, spec: { ...spec, owner: owners[0] as string, owners } },
            },
          ]);
    });
    it("refuses a bad session gap", () =>
      given([created, uploaded])
        .when(cmd("RequestDataset", { requestId: "q1", spec: { ...spec, sessionGapMinutes: 0 } }))
        .thenRefused("INVALID", "sessionGapMinutes"));
    it("answers the current request once and ignores a late or repeated answer", () => {
      const answer = cmd(
        "RecordDatasetBuilt",
        { requestId: "q1", sourceIds: ["s1"], artifactKey: "d1", stats },
        worker,
      );
      given([created, uploaded, datasetRequested])
        .when(answer)
        .then([{ type: "DatasetBuilt", data: { ...built.data, requestId: "q1" } }]);
      const answered: CloneEvent = { type: "DatasetBuilt", data: { ...built.data, requestId: "q1" } };
      given([created, uploaded, datasetRequested, answered]).when(answer).then([]);
      given([created, uploaded, datasetRequested, answered])
        .when(cmd("RecordDatasetFailed", { requestId: "q1", reason: "late" }, worker))
        .then([]);
    });
    it("records a failed build of the current request", () =>
      given([created, uploaded, datasetRequested])
        .when(
          cmd(
            "RecordDatasetFailed",
            { requestId: "q1", reason: "owner not found: candidates Аня, Маша" },
            worker,
          ),
        )
        .then([
          {
            type: "DatasetFailed",
            data: { cloneId, requestId: "q1", reason: "owner not found: candidates Аня, Маша" },
          },
        ]));
  });

  describe("RequestTraining", () => {
    const request = cmd("RequestTraining", { runId: "r1", baseModel: "smollm2-135m", hyperparameters: {} });
    it("needs a built dataset", () =>
      given([created, uploaded]).when(request).thenRefused("CONFLICT", "needs a built dataset"));
    it("trains on the latest built dataset", () =>
      given([created, uploaded, built]).when(request).then([requested]));
    it("refuses while a training is requested", () =>
      given([created, uploaded, built, requested]).when(request).thenRefused("CONFLICT", "still in flight"));
    it("refuses while a training is running", () =>
      given([created, uploaded, built, requested, started])
        .when(request)
        .thenRefused("CONFLICT", "in flight"));
    it("allows a new run once the previous one failed", () =>
      given([
        created,
        uploaded,
        built,
        requested,
        { type: "TrainingFailed", data: { cloneId, runId: "r1", reason: "OOM" } },
      ])
        .when(cmd("RequestTraining", { runId: "r2", baseModel: "smollm2-135m", hyperparameters: {} }))
        .then([{ ...requested, data: { ...requested.data, runId: "r2" } } as CloneEvent]));
  });

  describe("training progress (workers only)", () => {
    const base = [created, uploaded, built, requested];
    it("starts the requested run", () =>
      given(base)
        .when(cmd("StartTraining", { runId: "r1", backend: "local" }, worker))
        .then([started]));
    it("refuses to start another run", () =>
      given(base)
        .when(cmd("StartTraining", { runId: "r9", backend: "local" }, worker))
        .thenRefused("CONFLICT", "not the current run"));
    it("reports progress and ignores a repeated step", () => {
      const progress = cmd(
        "ReportTrainingProgress",
        { runId: "r1", step: 5, totalSteps: 10, epoch: 0.5, loss: 2.1 },
        worker,
      );
      assert.equal(
        given([...base, started])
          .when(progress)
          .events().length,
        1,
      );
      const at5: CloneEvent = {
        type: "TrainingProgressed",
        data: { cloneId, runId: "r1", step: 5, totalSteps: 10, epoch: 0.5 },
      };
      given([...base, started, at5])
        .when(progress)
        .then([]);
    });
    it("refuses progress before the run started", () =>
      given(base)
        .when(cmd("ReportTrainingProgress", { runId: "r1", step: 1, totalSteps: 10, epoch: 0 }, worker))
        .thenRefused("CONFLICT", "expected running"));
    it("numbers adapter versions on completion", () =>
      given([...base, started])
        .when(cmd("CompleteTraining", { runId: "r1", artifactKey: "a1", metrics: {} }, worker))
        .then([completed]));
    it("restarts a running run on a later attempt (lost lease) and ignores an earlier one", () => {
      const resumed: CloneEvent = {
        type: "TrainingStarted",
        data: { cloneId, runId: "r1", backend: "remote", worker: "gpu-2", attempt: 2 },
      };
      given([...base, started])
        .when(cmd("StartTraining", { runId: "r1", backend: "remote", worker: "gpu-2", attempt: 2 }, worker))
        .then([resumed]);
      given([...base, started, resumed])
        .when(cmd("StartTraining", { runId: "r1", backend: "remote", worker: "gpu-1", attempt: 1 }, worker))
        .then([]);
    });
    it("refuses a non-positive attempt", () =>
      given(base)
        .when(cmd("StartTraining", { runId: "r1", backend: "local", attempt: 0 }, worker))
        .thenRefused("INVALID", "attempt"));
    it("refuses to complete a finished run", () =>
      given([...base, started, completed])
        .when(cmd("CompleteTraining", { runId: "r1", artifactKey: "a1", metrics: {} }, worker))
        .thenRefused("CONFLICT", "is completed"));
  });

  describe("CancelTraining", () => {
    const base = [created, uploaded, built, requested];
    const cancelled: CloneEvent = { type: "TrainingCancelled", data: { cloneId, runId: "r1" } };
    it("cancels a queued run", () =>
      given(base)
        .when(cmd("CancelTraining", { runId: "r1" }))
        .then([cancelled]));
    it("cancels a running run with a reason", () =>
      given([...base, started])
        .when(cmd("CancelTraining", { runId: "r1", reason: "передумал" }))
        .then([{ type: "TrainingCancelled", data: { cloneId, runId: "r1", reason: "передумал" } }]));
    it("is idempotent once cancelled", () =>
      given([...base, cancelled])
        .when(cmd("CancelTraining", { runId: "r1" }))
        .then([]));
    it("refuses a finished run", () =>
      given([...base, started, completed])
        .when(cmd("CancelTraining", { runId: "r1" }))
        .thenRefused("CONFLICT", "is completed"));
    it("refuses another owner (reported as missing)", () =>
      given(base)
        .when(cmd("CancelTraining", { runId: "r1" }, stranger))
        .thenRefused("NOT_FOUND", "does not exist"));
    it("refuses progress after a cancel and allows a new run", () => {
      given([...base, started, cancelled])
        .when(cmd("ReportTrainingProgress", { runId: "r1", step: 3, totalSteps: 10, epoch: 0 }, worker))
        .thenRefused("CONFLICT", "is cancelled");
      given([...base, cancelled])
        .when(cmd("RequestTraining", { runId: "r2", baseModel: "smollm2-135m", hyperparameters: {} }))
        .then([{ ...requested, data: { ...requested.data, runId: "r2" } } as CloneEvent]);
    });
  });

  describe("PublishClone", () => {
    const bundle = (version: number) => ({ version, artifactKey: `b${version}`, sha256: sha, size: 1234 });
    const published = (version: number): CloneEvent => ({
      type: "ClonePublished",
      data: { cloneId, version, adapterVersion: 1, artifactKey: `b${version}`, sha256: sha, size: 1234 },
    });
    it("needs a completed training", () =>
      given([created, uploaded, built, requested, started])
        .when(cmd("PublishClone", bundle(1)))
        .thenRefused("CONFLICT", "needs a completed training"));
    it("numbers bundle versions and pins the adapter", () => {
      const history = [created, uploaded, built, requested, started, completed];
      given(history)
        .when(cmd("PublishClone", bundle(1)))
        .then([published(1)]);
      given([...history, published(1)])
        .when(cmd("PublishClone", bundle(2)))
        .then([published(2)]);
    });
    it("refuses a bundle packed for a version that was taken meanwhile", () =>
      given([created, uploaded, built, requested, started, completed, published(1)])
        .when(cmd("PublishClone", bundle(1)))
        .thenRefused("CONFLICT", "the next version is 2"));
  });

  describe("install tokens", () => {
    const at = "2026-11-26T10:00:00.000Z";
    const inDays = (days: number) => new Date(Date.parse(at) + days * 86_400_000).toISOString();
    const create = (tokenId: string, expiresAt = inDays(7)) =>
      cmd("CreateInstallToken", {
        tokenId,
        name: "ноутбук",
        hash: sha,
        prefix: "ait_0123",
        createdAt: at,
        expiresAt,
      });
    const tokenCreated = (tokenId: string): CloneEvent => ({
      type: "InstallTokenCreated",
      data: { cloneId, tokenId, name: "ноутбук", hash: sha, prefix: "ait_0123", expiresAt: inDays(7) },
    });
    it("records a token by its hash and expiry", () =>
      given([created])
        .when(create("t1"))
        .then([tokenCreated("t1")]));
    it("refuses an expiry in the past or past 90 days", () => {
      given([created]).when(create("t1", at)).thenRefused("INVALID", "expiresIn: must be positive");
      given([created])
        .when(create("t1", inDays(91)))
        .thenRefused("INVALID", "at most 7776000 seconds");
    });
    it("refuses another owner and a system actor", () => {
      given([created])
        .when({ ...create("t1"), actor: stranger } as CloneCommand)
        .thenRefused("NOT_FOUND", "does not exist");
      given([created])
        .when({ ...create("t1"), actor: worker } as CloneCommand)
        .thenRefused("FORBIDDEN", "only the owner");
    });
    it("limits the active tokens of a clone", () => {
      const many = Array.from({ length: 20 }, (_, i) => tokenCreated(`t${i}`));
      given([created, ...many])
        .when(create("t99"))
        .thenRefused("CONFLICT", "at most 20 active install tokens");
      given([created, ...many, { type: "InstallTokenRevoked", data: { cloneId, tokenId: "t3" } }])
        .when(create("t99"))
        .then([tokenCreated("t99")]);
    });
    it("revokes once, and refuses an unknown token", () => {
      const revoked: CloneEvent = { type: "InstallTokenRevoked", data: { cloneId, tokenId: "t1" } };
      given([created, tokenCreated("t1")])
        .when(cmd("RevokeInstallToken", { tokenId: "t1" }))
        .then([revoked]);
      given([created, tokenCreated("t1"), revoked])
        .when(cmd("RevokeInstallToken", { tokenId: "t1" }))
        .then([]);
      given([created])
        .when(cmd("RevokeInstallToken", { tokenId: "nope" }))
        .thenRefused("NOT_FOUND", "nope");
    });
  });

  describe("PurgeRawData", () => {
    it("purges every source not yet purged, then nothing", () => {
      given([created, uploaded])
        .when(cmd("PurgeRawData", {}))
        .then([{ type: "RawDataPurged", data: { cloneId, sourceIds: ["s1"] } }]);
      given([created, uploaded, { type: "RawDataPurged", data: { cloneId, sourceIds: ["s1"] } }])
        .when(cmd("PurgeRawData", {}))
        .then([]);
    });
  });

  describe("a deleted clone accepts nothing", () => {
    const commands: CloneCommand[] = [
      cmd("ConfigurePersona", { displayName: "a", systemPrompt: "b", language: "en" }),
      cmd("RenameClone", { name: "Маша" }),
      cmd("RecordSourceUpload", { sourceId: "s", fileName: "f", size: 1, sha256: sha, artifactKey: "k" }),
      cmd("RequestTraining", { runId: "r", baseModel: "m", hyperparameters: {} }),
      cmd("PublishClone", { version: 1, artifactKey: "b", sha256: sha, size: 1 }),
      cmd("DeleteClone", {}),
      cmd("RecordDatasetFailed", { reason: "x" }, worker),
    ];
    for (const command of commands)
      it(`refuses ${command.type}`, () =>
        given([created, uploaded, built, deleted]).when(command).thenRefused("NOT_FOUND", "was deleted"));
    it("refuses re-creation of a deleted id", () =>
      given([created, deleted])
        .when(cmd("CreateClone", { name: "x" }))
        .thenRefused("CONFLICT", "already exists"));
  });
});
