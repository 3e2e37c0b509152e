import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { sharedDataDir } from "@aiclone/testing/sharedData";
import { getLlama, type Llama, type LlamaContext, type LlamaModel, type Token } from "node-llama-cpp";
import { terseTelegramExport } from "./telegramExportFixture.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const bin = join(repoRoot, "bin", "aiclone");
const tinyBase = join(sharedDataDir(), "models", "llama-2-tiny-random.gguf");

type Message = { role: "system" | "user" | "assistant"; content: string };

// trainer/aiclone_trainer/data.py, `aiclone-fallback-v1`: the layout the adapter was trained on.
const HEADERS = { system: "### System:\n", user: "### User:\n", assistant: "### Assistant:\n" } as const;
function renderFallback(messages: Message[], eos: string, generationPrompt: boolean): string {
  let text = "";
  for (const m of messages) text += `${HEADERS[m.role]}${m.content}${m.role === "assistant" ? eos : ""}\n\n`;
  return generationPrompt ? text + HEADERS.assistant : text;
}

interface Scored {
  prompt: Token[];
  reply: Token[];
}

/** Each assistant turn as (prompt tokens, reply tokens incl. end-of-turn), tokenized like the trainer does. */
function replyTurns(model: LlamaModel, conversations: Message[][]): Scored[] {
  const eos = model.tokens.eosString ?? "</s>";
  const bos = model.tokens.bos;
  const tokenize = (text: string) => [...(bos !== null ? [bos] : []), ...model.tokenize(text, true)];
  const turns: Scored[] = [];
  for (const messages of conversations)
    messages.forEach((m, i) => {
      if (m.role !== "assistant") return;
      const before = tokenize(renderFallback(messages.slice(0, i), eos, true));
      const through = tokenize(renderFallback(messages.slice(0, i + 1), eos, false).trimEnd());
      let start = 0;
      while (start < before.length && before[start] === through[start]) start++;
      turns.push({ prompt: through.slice(0, start), reply: through.slice(start) });
    });
  return turns;
}

/** Mean log-probability (nats) per reply token, the reply given its prompt. */
async function meanReplyLogProb(context: LlamaContext, turns: Scored[]): Promise<number> {
  const sequence = context.getSequence();
  let sum = 0;
  let count = 0;
  try {
    for (const { prompt, reply } of turns) {
      await sequence.clearHistory();
      const tokens = [...prompt, ...reply];
      // The distribution after token k predicts token k+1: ask for it from the last prompt token on, with
      // temperature 1 and no truncation, so it is the model's plain softmax.
      const next = { probabilities: true, options: { temperature: 1, topK: 0, topP: 1, minP: 0 } } as const;
      const input = tokens.map((token, k) =>
        k >= prompt.length - 1 && k < tokens.length - 1 ? ([token, { generateNext: next }] as const) : token,
      );
      const output = await sequence.controlledEvaluate(
        input as Parameters<typeof sequence.controlledEvaluate>[0],
      );
      for (let k = prompt.length - 1; k < tokens.length - 1; k++) {
        const probabilities = output[k]?.next?.probabilities;
        assert.ok(probabilities, `no probabilities at ${k}`);
        const target = probabilities.get(tokens[k + 1] as Token) ?? 0;
        sum += Math.log(Math.max(target, Number.MIN_VALUE));
        count++;
      }
    }
  } finally {
    sequence.dispose();
  }
  return sum / count;
}

const readJsonl = async (path: string) =>
  (await readFile(path, "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { messages: Message[] }).messages);

describe("aiclone train, end to end (dataset build → Python LoRA → adapter applied by node-llama-cpp)", () => {
  let dir: string;
  let skip: string | null = null;
  before(
    async () => {
      dir = await mkdtemp(join(tmpdir(), "aiclone-train-e2e-"));
      const env = spawnSync(process.execPath, [join(repoRoot, "scripts", "ensureTrainerEnv.mjs")], {
        stdio: ["ignore", "pipe", "inherit"],
        encoding: "utf8",
      });
      if (env.status !== 0) skip = `the trainer's Python environment is not available (exit ${env.status})`;
    },
    { timeout: 30 * 60_000 },
  );
  after(() => rm(dir, { recursive: true, force: true }));

  it("trains an adapter that raises the likelihood of the owner's replies in llama.cpp", {
    timeout: 8 * 60_000,
  }, async (t) => {
    if (skip) {
      console.log(`skipped: ${skip}`);
      t.skip(skip);
      return;
    }
    const exportFile = join(dir, "result.json");
    await writeFile(exportFile, terseTelegramExport());
    const dataset = join(dir, "dataset");
    const built = spawnSync(
      process.execPath,
      [
        bin,
        "dataset",
        "build",
        exportFile,
        "--owner",
        "Alice",
        "--out",
        dataset,
        "--system-prompt",
        "You are {name}.",
      ],
      { encoding: "utf8", cwd: repoRoot },
    );
    assert.equal(built.status, 0, built.stderr);

    const out = join(dir, "clone");
    // The tiny random model's outputs are nearly uniform (NLL ≈ ln 32000); a large alpha and lr are what
    // it takes for 30 steps to move them measurably.
    const trained = spawnSync(
      process.execPath,
      [
        bin,
        "train",
        "--dataset",
        dataset,
        "--base",
        tinyBase,
        "--out",
        out,
        "--max-steps",
        "30",
        "--lr",
        "0.05",
        "--rank",
        "8",
        "--alpha",
        "512",
        "--cpu",
        "--",
        "--eval-prompts",
        "3",
        "--eval-new-tokens",
        "8",
      ],
      { encoding: "utf8", cwd: repoRoot, timeout: 6 * 60_000 },
    );
    assert.equal(trained.status, 0, `${trained.stdout}\n${trained.stderr}`);
    assert.match(trained.stdout, /perplexity/);
    assert.match(trained.stdout, /sounds like you: \d+ %/);
    assert.match(trained.stdout, /measured through the runtime/);

    const metrics = JSON.parse(await readFile(join(out, "metrics.json"), "utf8"));
    assert.equal(
      metrics.template,
      "aiclone-fallback-v1",
      "this test renders prompts with the fallback layout",
    );
    const ppl = metrics.eval.perplexity;
    assert.ok(ppl.adapted.perplexity < ppl.base.perplexity, JSON.stringify(ppl));

    const llama: Llama = await getLlama({ gpu: false });
    const model = await llama.loadModel({ modelPath: tinyBase });
    try {
      const base = await model.createContext({ contextSize: 256 });
      const adapted = await model.createContext({
        contextSize: 256,
        lora: { adapters: [{ filePath: join(out, "adapter.gguf") }] },
      });
      const results: Record<string, { base: number; adapted: number }> = {};
      for (const split of ["train", "val"] as const) {
        const turns = replyTurns(model, await readJsonl(join(dataset, `${split}.jsonl`)));
        assert.ok(turns.length > 0);
        results[split] = {
          base: await meanReplyLogProb(base, turns),
          adapted: await meanReplyLogProb(adapted, turns),
        };
      }
      console.log(
        `llama.cpp mean log-prob per reply token: ${JSON.stringify(results)}; ` +
          `python mean NLL on val: base ${ppl.base.mean_nll}, adapted ${ppl.adapted.mean_nll}`,
      );
      const train = results.train as { base: number; adapted: number };
      // Numerical noise between runs is ~1e-5 nats; the trained effect on this model is ~1e-2.
      assert.ok(
        train.adapted - train.base > 0.01,
        `adapter did not raise the replies' likelihood: ${JSON.stringify(train)}`,
      );
      const val = results.val as { base: number; adapted: number };
      assert.ok(val.adapted > val.base, `held-out replies: ${JSON.stringify(val)}`);
      // Same prompts, same tokens: llama.cpp's base NLL on val should match the trainer's to F16 precision.
      assert.ok(
        Math.abs(-val.base - ppl.base.mean_nll) < 0.05,
        `base NLL differs: ${-val.base} vs ${ppl.base.mean_nll}`,
      );
      await adapted.dispose();
      await base.dispose();
    } finally {
      await model.dispose();
      await llama.dispose();
    }
  });
});
