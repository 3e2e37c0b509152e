/**
 * Voice notes (Telegram `.ogg`, WhatsApp `.opus`, Discord `voice-message.ogg`: all Ogg Opus) decoded to what
 * Whisper reads: mono float samples at 16 kHz.
 */
import { readFile } from "node:fs/promises";
import { OggOpusDecoder } from "ogg-opus-decoder";

export const SPEECH_SAMPLE_RATE = 16_000;

/** Mono (the channels averaged) and resampled by averaging the samples of each output period. */
export function toMono16k(channels: readonly Float32Array[], sampleRate: number): Float32Array {
  const length = channels[0]?.length ?? 0;
  const ratio = sampleRate / SPEECH_SAMPLE_RATE;
  const out = new Float32Array(Math.floor(length / ratio));
  for (let i = 0; i < out.length; i++) {
    const from = Math.floor(i * ratio);
    const to = Math.max(from + 1, Math.floor((i + 1) * ratio));
    let sum = 0;
    for (const channel of channels) for (let j = from; j < to; j++) sum += channel[j] ?? 0;
    out[i] = sum / ((to - from) * channels.length);
  }
  return out;
}

/** The samples of an Ogg Opus file at 16 kHz, mono. */
export async function decodeVoiceNote(path: string): Promise<Float32Array> {
  const decoder = new OggOpusDecoder();
  try {
    await decoder.ready;
    const { channelData, sampleRate, errors } = await decoder.decodeFile(
      new Uint8Array(await readFile(path)),
    );
    if (channelData.length === 0 || (channelData[0]?.length ?? 0) === 0)
      throw new Error(`no audio decoded${errors.length > 0 ? `: ${errors[0]?.message}` : ""}`);
    return toMono16k(channelData, sampleRate);
  } finally {
    decoder.free();
  }
}
