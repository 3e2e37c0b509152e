/**
 * Writes a small but real GGUF LoRA adapter for the tiny test model (llama arch, hidden size 8), so the
 * engine's adapter path is tested with llama.cpp itself. Layout per llama.cpp's adapter loader:
 * `general.type=adapter`, `adapter.type=lora`, `adapter.lora.alpha`, F32 tensors `<w>.lora_a` with
 * ne [in, r] and `<w>.lora_b` with ne [r, out].
 */
import { writeFile } from "node:fs/promises";

const GGUF_STRING = 8;
const GGUF_FLOAT32 = 6;
const GGML_F32 = 0;
const ALIGNMENT = 32;

class Writer {
  private readonly parts: Buffer[] = [];
  private length = 0;
  get size() {
    return this.length;
  }
  push(buffer: Buffer) {
    this.parts.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }
  u64(value: number) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }
  f32(value: number) {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.push(b);
  }
  string(value: string) {
    const bytes = Buffer.from(value, "utf8");
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad() {
    const rest = this.length % ALIGNMENT;
    if (rest) this.push(Buffer.alloc(ALIGNMENT - rest));
  }
  toBuffer() {
    return Buffer.concat(this.parts);
  }
}

interface Tensor {
  name: string;
  ne: number[];
  data: Float32Array;
}

/** Deterministic pseudo-random weights, large enough to change the tiny model's greedy output. */
function weights(count: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    out[i] = ((state / 2 ** 31) * 2 - 1) * scale;
  }
  return out;
}

export async function writeTinyLoraAdapter(
  path: string,
  options: { rank?: number; scale?: number; promptContract?: Record<string, unknown> } = {},
) {
  const rank = options.rank ?? 2;
  const hidden = 8;
  const tensors: Tensor[] = [];
  ["attn_q", "attn_v", "attn_output"].forEach((name, i) => {
    tensors.push({
      name: `blk.0.${name}.weight.lora_a`,
      ne: [hidden, rank],
      data: weights(hidden * rank, 7 + i, options.scale ?? 4),
    });
    tensors.push({
      name: `blk.0.${name}.weight.lora_b`,
      ne: [rank, hidden],
      data: weights(rank * hidden, 101 + i, options.scale ?? 4),
    });
  });
  const metadata: [string, string | number][] = [
    ["general.architecture", "llama"],
    ["general.type", "adapter"],
    ["adapter.type", "lora"],
    ["adapter.lora.alpha", rank],
    ...(options.promptContract
      ? [["aiclone.prompt_contract", JSON.stringify(options.promptContract)] as [string, string]]
      : []),
  ];

  const w = new Writer();
  w.push(Buffer.from("GGUF", "ascii"));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(metadata.length);
  for (const [key, value] of metadata) {
    w.string(key);
    if (typeof value === "string") {
      w.u32(GGUF_STRING);
      w.string(value);
    } else {
      w.u32(GGUF_FLOAT32);
      w.f32(value);
    }
  }
  let offset = 0;
  for (const tensor of tensors) {
    w.string(tensor.name);
    w.u32(tensor.ne.length);
    for (const n of tensor.ne) w.u64(n);
    w.u32(GGML_F32);
    w.u64(offset);
    offset += Math.ceil(tensor.data.byteLength / ALIGNMENT) * ALIGNMENT;
  }
  w.pad();
  for (const tensor of tensors) {
    w.push(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    w.pad();
  }
  await writeFile(path, w.toBuffer());
}

/** The prompt contract the trainer writes for the tiny model (fallback layout), with a given system prompt. */
export function tinyPromptContract(systemPrompt: string | null, baseSha256: string | null = null) {
  return {
    version: 1,
    template: "aiclone-fallback-v1",
    turns: {
      system: { prefix: "### System:\n", suffix: "\n\n" },
      user: { prefix: "### User:\n", suffix: "\n\n" },
      assistant: { prefix: "### Assistant:\n", suffix: "</s>\n\n" },
    },
    generationPrompt: "### Assistant:\n",
    endOfTurn: "</s>",
    addBos: true,
    bosToken: "<s>",
    escape: ["<unk>", "</s>", "<s>"],
    systemPrompt,
    baseSha256,
  };
}
