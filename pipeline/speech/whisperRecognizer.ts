/**
 * Speech to text with a local Whisper model (a Hugging Face folder with ONNX weights, e.g. whisper-small,
 * multilingual: Russian and English alike) through @huggingface/transformers. Nothing is downloaded: remote
 * models are switched off, and a missing file is an error naming it. Loaded on demand (onnxruntime is heavy).
 */
import { stat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { decodeVoiceNote } from "./audioDecoding.js";
import type { SpeechRecognizer } from "./speechRecognizer.js";

type Transcriber = ((
  audio: Float32Array,
  options: { chunk_length_s: number; stride_length_s: number; task: "transcribe" },
) => Promise<{ text: string } | { text: string }[]>) & { dispose(): Promise<void> };

export class WhisperRecognizer implements SpeechRecognizer {
  private constructor(private readonly transcriber: Transcriber) {}

  static async open(modelDir: string): Promise<WhisperRecognizer> {
    const dir = resolve(modelDir);
    const isFolder = await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isFolder) throw new Error(`speech model ${modelDir} does not exist or is not a folder`);
    let transformers: typeof import("@huggingface/transformers");
    try {
      transformers = await import("@huggingface/transformers");
    } catch (error) {
      throw new Error(
        `speech model ${modelDir} needs @huggingface/transformers (an optional dependency): ${(error as Error).message}`,
      );
    }
    const { env, pipeline } = transformers;
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = `${dirname(dir)}/`;
    try {
      const transcriber = (await pipeline("automatic-speech-recognition", basename(dir), {
        local_files_only: true,
      })) as unknown as Transcriber;
      return new WhisperRecognizer(transcriber);
    } catch (error) {
      throw new Error(`speech model ${modelDir} cannot be loaded: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async transcribe(path: string, signal?: AbortSignal): Promise<string> {
    const audio = await decodeVoiceNote(path);
    signal?.throwIfAborted();
    // No language given: a multilingual Whisper detects it per note (Russian and English notes alike).
    const output = await this.transcriber(audio, {
      chunk_length_s: 30,
      stride_length_s: 5,
      task: "transcribe",
    });
    const parts = Array.isArray(output) ? output : [output];
    return parts
      .map((p) => p.text)
      .join(" ")
      .trim();
  }

  close(): Promise<void> {
    return this.transcriber.dispose();
  }
}
