/**
 * The random-weight test model as a registry entry. The production catalogue (trainer-gateway/baseModels.ts)
 * leaves it out; a test that trains, publishes or lists base models by its name registers it first with
 * `useTestBaseModels()`, which writes the entry to a JSON file and points $AICLONE_EXTRA_BASE_MODELS at it.
 * Set on process.env, so the platform this process starts and every `aiclone` child process it spawns see it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TINY_MODEL_NAME, TINY_MODEL_SHA256, tinyModelPath } from "@aiclone/testing/sharedData";
import { type BaseModel, EXTRA_BASE_MODELS_ENV } from "../../trainer-gateway/baseModels.js";

/** llama-2-tiny-random from shared/models: what the catalogue listed before it was kept to real models. */
export function tinyBaseModel(): BaseModel {
  const path = tinyModelPath();
  return {
    name: TINY_MODEL_NAME,
    description: "Llama-2 architecture with random weights (1.7 MB); for tests only, produces gibberish",
    trainingWeights: path,
    gguf: {
      url: null,
      sha256: TINY_MODEL_SHA256,
      // Checked against the shared file by the registry's test.
      verified: true,
      fileName: `${TINY_MODEL_NAME}.gguf`,
      localPath: path,
    },
    // No chat template in the file: the trainer falls back to its own layout.
    chatTemplate: "aiclone-fallback-v1",
    contextLength: 4096,
    // Random weights: no language at all.
    languages: [],
    testOnly: true,
  };
}

let registered: string | undefined;

/** Registers the test model(s) for this test process; returns the JSON file $AICLONE_EXTRA_BASE_MODELS names. */
export function useTestBaseModels(): string {
  if (registered === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "aiclone-test-base-models-"));
    registered = join(dir, "base-models.json");
    writeFileSync(registered, JSON.stringify([tinyBaseModel()], null, 2));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  process.env[EXTRA_BASE_MODELS_ENV] = registered;
  return registered;
}
