/**
 * Train/serve parity of the prompt: for several conversations, the token ids the trainer feeds the model
 * (trainer/tests/dump_prompt_ids.py, the real trainer code) equal the token ids the runtime's engine sends,
 * for the tiny model (fallback layout, BOS added) and SmolLM2 (ChatML, no BOS), and a reply ends with the
 * model's real end-of-turn token.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { smollm2Path } from "@aiclone/testing/realModels";
import { sharedDataDir } from "@aiclone/testing/sharedData";
import { LlamaEngine, type PromptContract, promptContractSchema } from "aiclone-runtime/engine";
import { getLlama, type Llama } from "node-llama-cpp";
import { trainerPython } from "../../trainer-gateway/trainerProcess.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const dumpScript = join(repoRoot, "trainer", "tests", "dump_prompt_ids.py");

type Message = { role: "system" | "user" | "assistant"; content: string };
const SYSTEM = "Ты — Sam.\nYou are Sam.";
const conversations: Message[][] = [
  [
    { role: "system", content: SYSTEM },
    { role: "user", content: "Are you coming to the match on Saturday?" },
    { role: "assistant", content: "yeah mate proper keen lol" },
  ],
  [
    { role: "system", content: SYSTEM },
    { role: "user", content: "Привет! Как дела?\nВторая строка,  два пробела." },
    { role: "assistant", content: "норм!! а ты" },
    { role: "user", content: "Did you finish the report? 🙂" },
    { role: "assistant", content: "nah mate knackered" },
  ],
  [
    { role: "system", content: SYSTEM },
    { role: "user", content: "typed specials: <|im_end|> </s> <s> <|im_start|>assistant" },
    { role: "assistant", content: "ok lol" },
    { role: "user", content: "  leading spaces and trailing  " },
    { role: "assistant", content: "sure thing!!" },
  ],
];

interface Dump {
  contract: unknown;
  samples: { prompt_ids: number[]; sample_ids: number[]; end_of_turn_id: number }[];
}

function dump(python: string, base: string, convsPath: string): Dump {
  const result = spawnSync(python, [dumpScript, base, convsPath], {
    encoding: "utf8",
    env: {
      ...process.env,
      TOKENIZERS_PARALLELISM: "false",
      // Converting a GGUF tokenizer takes a minute; the trainer's own cache keeps the result.
      AICLONE_TRAINER_CACHE: process.env.AICLONE_TRAINER_CACHE ?? join(repoRoot, ".cache", "trainer-cache"),
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(result.status, 0, result.stderr.slice(-3000));
  return JSON.parse(result.stdout) as Dump;
}

const models = [
  {
    name: "tiny random (fallback layout)",
    path: join(sharedDataDir(), "models", "llama-2-tiny-random.gguf"),
  },
  { name: "SmolLM2-135M-Instruct (ChatML)", path: smollm2Path() },
];

describe("prompt parity: trainer token ids = runtime token ids", () => {
  let dir: string;
  let python: string;
  let llama: Llama;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-parity-"));
    python = await trainerPython();
    llama = await getLlama({ gpu: false });
    await writeFile(join(dir, "conversations.json"), JSON.stringify(conversations));
  });
  after(async () => {
    await llama?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  for (const model of models)
    it(model.name, { skip: existsSync(model.path) ? false : `${model.path} missing` }, async () => {
      const trained = dump(python, model.path, join(dir, "conversations.json"));
      const contract: PromptContract = promptContractSchema.parse(trained.contract);
      const engine = await LlamaEngine.load({
        modelPath: model.path,
        promptContract: contract,
        llama,
        gpu: false,
        sequences: 1,
        contextSize: 1024,
        defaults: { temperature: 0, topP: 1, maxTokens: 24 },
      });
      try {
        conversations.forEach((conv, i) => {
          const sample = trained.samples[i]!;
          const turns = conv.slice(1, -1) as { role: "user" | "assistant"; content: string }[];
          const runtimeIds = engine.promptTokens(SYSTEM, turns).map(Number);
          assert.deepEqual(runtimeIds, sample.prompt_ids, `conversation ${i + 1}: prompt token ids differ`);
          // The trained sample is that prompt, then the reply, then the end-of-turn token.
          assert.deepEqual(sample.sample_ids.slice(0, runtimeIds.length), runtimeIds);
          assert.ok(sample.sample_ids.slice(runtimeIds.length).includes(sample.end_of_turn_id));
        });
        if (contract.template === "chatml") {
          assert.equal(contract.addBos, false, "SmolLM2's GGUF says add_bos false");
          const ids = engine.promptTokens(SYSTEM, [{ role: "user", content: "hi" }]);
          assert.notEqual(ids[1], ids[0], "no doubled <|im_start|> at the start");
          // A real instruct model answers and ends its turn with its end-of-turn token, not the length cap.
          // In English: SmolLM2 serves English only, and greedy decoding after the bilingual SYSTEM's Russian
          // line loops in Russian until any cap (seen on 2026-12-06), which says nothing about end of turn.
          const reply = await engine.generate({
            system: "You are Sam.",
            messages: [{ role: "user", content: "Say hello in three words." }],
            maxTokens: 48,
          });
          assert.equal(reply.finishReason, "stop", `reply ran to the cap: ${reply.text}`);
          assert.equal(reply.stopReason, "eogToken");
        } else {
          assert.equal(contract.addBos, true);
          assert.equal(contract.endOfTurn, "</s>", "the fallback layout ends replies with the GGUF's EOS");
        }
      } finally {
        await engine.close();
      }
    });
});
