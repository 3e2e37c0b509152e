import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { tinyModelPath } from "@aiclone/testing/sharedData";
import { createEmbeddings } from "./createEmbeddings.js";
import type { RuntimeEmbeddings } from "./runtimeEmbeddings.js";

const dot = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * (b[i] as number), 0);

describe("createEmbeddings", () => {
  it("returns null when no model is configured", async () => {
    assert.equal(await createEmbeddings(null), null);
    assert.equal(await createEmbeddings(undefined), null);
  });

  it("names the bad field of a configuration", async () => {
    await assert.rejects(createEmbeddings({ kind: "gguf" }), /embeddings\.modelPath/);
    await assert.rejects(createEmbeddings({ kind: "openai", modelDir: "x" }), /embeddings\.kind/);
  });

  it("names a missing GGUF file", async () => {
    await assert.rejects(
      createEmbeddings({ kind: "gguf", modelPath: "/nonexistent/embed.gguf", gpu: false }),
      /embeddings\.modelPath: cannot open the GGUF embedding model \/nonexistent\/embed\.gguf/,
    );
  });

  describe("a local transformers model folder", () => {
    let root: string;
    before(async () => {
      root = await mkdtemp(join(tmpdir(), "rag-transformers-"));
    });
    after(() => rm(root, { recursive: true, force: true }));

    it("names a folder that does not exist, and downloads nothing", async () => {
      const modelDir = join(root, "multilingual-e5-small");
      await assert.rejects(
        createEmbeddings({ kind: "transformers", modelDir }),
        new RegExp(`embeddings\\.modelDir: ${modelDir} does not exist`),
      );
    });

    it("names what a model folder lacks", async () => {
      const modelDir = join(root, "half-copied");
      await mkdir(modelDir);
      await assert.rejects(createEmbeddings({ kind: "transformers", modelDir }), /has no config\.json/);
      await writeFile(join(modelDir, "config.json"), "{}");
      await writeFile(join(modelDir, "tokenizer.json"), "{}");
      await assert.rejects(
        createEmbeddings({ kind: "transformers", modelDir }),
        /has no onnx\/\*\.onnx weights/,
      );
    });

    it("reports the library's own error for a corrupt model, without going to the network", async () => {
      const modelDir = join(root, "corrupt");
      await mkdir(join(modelDir, "onnx"), { recursive: true });
      await writeFile(join(modelDir, "config.json"), JSON.stringify({ model_type: "bert" }));
      await writeFile(join(modelDir, "tokenizer.json"), "{}");
      await writeFile(join(modelDir, "tokenizer_config.json"), "{}");
      await writeFile(join(modelDir, "onnx", "model.onnx"), "not an onnx graph");
      await assert.rejects(
        createEmbeddings({ kind: "transformers", modelDir }),
        /embeddings\.modelDir: cannot load .*corrupt/,
      );
    });
  });

  describe("a GGUF model through node-llama-cpp", () => {
    let embeddings: RuntimeEmbeddings;
    before(async () => {
      const opened = await createEmbeddings({
        kind: "gguf",
        modelPath: tinyModelPath(),
        gpu: false,
        threads: 1,
      });
      assert.ok(opened);
      embeddings = opened;
    });
    after(() => embeddings.close());

    it("has a fixed dimension and a model id naming the file", () => {
      assert.equal(embeddings.dimensions, 8);
      assert.match(embeddings.model, /^gguf:llama-2-tiny-random\.gguf:\d+$/);
    });

    it("gives unit vectors of that dimension, the same for the same text", async () => {
      const texts = ["Кошка сидит на окне.", "The cat sits on the window.", "Кошка сидит на окне.", ""];
      const vectors = await embeddings.embed(texts);
      assert.equal(vectors.length, 4);
      for (const vector of vectors) {
        assert.equal(vector.length, 8);
        assert.ok(Math.abs(dot(vector, vector) - 1) < 1e-5);
      }
      assert.deepEqual(vectors[0], vectors[2]);
      assert.notDeepEqual(vectors[0], vectors[1]);
      assert.deepEqual((await embeddings.embed(["Кошка сидит на окне."]))[0], vectors[0]);
    });

    it("cuts a text longer than its context instead of failing", async () => {
      const [vector] = await embeddings.embed(["очень длинный текст ".repeat(2000)]);
      assert.equal(vector?.length, 8);
    });

    it("stops when the signal aborts", async () => {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(embeddings.embed(["текст"], controller.signal), { name: "AbortError" });
    });
  });
});
