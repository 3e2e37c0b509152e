import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cloneEventSchemas, parseCloneEvent } from "./events.js";
import {
  erasedPersonalFields,
  mayBeStoredInPlaintext,
  personalDataScopeOfArtifact,
  personalDataScopeOfClone,
  personalDataScopeOfStream,
} from "./personalData.js";

describe("personal data of a clone", () => {
  it("every erased field belongs to its event and keeps the event valid", () => {
    for (const [type, erased] of Object.entries(erasedPersonalFields)) {
      const shape = cloneEventSchemas[type as keyof typeof cloneEventSchemas].shape as Record<
        string,
        unknown
      >;
      for (const field of Object.keys(erased))
        assert.ok(field in shape, `${type}.${field} is a field of ${type}`);
    }
    // A shredded event (ids kept, personal fields erased) still parses, so the log replays after a deletion.
    const ids = { cloneId: "c", sourceId: "s", requestId: "r", runId: "r", tokenId: "t" };
    const samples: Record<string, Record<string, unknown>> = {
      CloneCreated: { cloneId: "c", ownerId: "o" },
      PersonaConfigured: { cloneId: "c", language: "ru" },
      CloneRenamed: { cloneId: "c" },
      SourceUploaded: { ...ids, size: 1, sha256: "a".repeat(64), artifactKey: "k" },
      SourceInspected: ids,
      DatasetRequested: { ...ids, sourceIds: [] },
      DatasetFailed: ids,
      TrainingFailed: ids,
      TrainingCompleted: { ...ids, adapterVersion: 1, artifactKey: "k" },
      CorrectionRecorded: {
        ...ids,
        correctionId: "k",
        at: new Date().toISOString(),
        channel: "preview",
        adapterVersion: null,
      },
      InstallTokenCreated: {
        ...ids,
        hash: "b".repeat(64),
        prefix: "ait_",
        expiresAt: new Date().toISOString(),
      },
    };
    assert.deepEqual(Object.keys(samples).sort(), Object.keys(erasedPersonalFields).sort());
    for (const [type, erased] of Object.entries(erasedPersonalFields))
      assert.doesNotThrow(() => parseCloneEvent(type, { ...samples[type], ...erased }), type);
  });

  it("scopes streams, artifacts (bundles too) and clones to the clone's key; other streams are not", () => {
    assert.equal(personalDataScopeOfStream("clone-abc"), "clone:abc");
    assert.equal(personalDataScopeOfStream("owner-abc"), null);
    assert.equal(personalDataScopeOfClone("abc"), "clone:abc");
    for (const key of [
      "clones/abc/sources/s1",
      "clones/abc/inspections/s1/summary.json",
      "clones/abc/datasets/r/train.jsonl",
      "clones/abc/training/r/adapter.gguf",
      // The persona and the adapter trained on the person's messages (issue 16, item 6).
      "clones/abc/bundles/1/bundle.tar.gz",
    ])
      assert.equal(personalDataScopeOfArtifact(key), "clone:abc", key);
    assert.equal(personalDataScopeOfArtifact("clones/abc/unknown-kind/x"), null);
    assert.equal(personalDataScopeOfArtifact("runtime/aiclone-runtime.tgz"), null);
  });

  it("reads only bundles back as plaintext when they carry no cipher header (stored before item 6)", () => {
    assert.equal(mayBeStoredInPlaintext("clones/abc/bundles/1/bundle.tar.gz"), true);
    for (const key of [
      "clones/abc/sources/s1",
      "clones/abc/inspections/s1/summary.json",
      "clones/abc/datasets/r/train.jsonl",
      "clones/abc/training/r/adapter.gguf",
    ])
      assert.equal(mayBeStoredInPlaintext(key), false, key);
  });
});
