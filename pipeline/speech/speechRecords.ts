import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join, posix } from "node:path";
import { pipeline } from "node:stream/promises";
import type { ChatMessage, ExportRecord, MediaRef } from "../model/conversation.js";
import type { ExportSource } from "../model/exportSource.js";
import type { SpeechCounts, SpeechRecognizer } from "./speechRecognizer.js";

const isVoice = (media: MediaRef) => media.type === "voice";

/**
 * Transcribes voice notes as the records pass. The owner's voice notes are the owner's words: their text
 * becomes the message's text (after a caption, if any), so they reach samples like typed replies. A contact's
 * voice note is context for the owner's reply: `[голосовое: …]` is attached to their message.
 */
export async function* withSpeech(
  records: AsyncIterable<ExportRecord>,
  source: ExportSource,
  recognizer: SpeechRecognizer,
  ownerIds: ReadonlySet<string>,
  counts: SpeechCounts,
  signal?: AbortSignal,
): AsyncGenerator<ExportRecord> {
  const pathOfLabel = new Map<string, string>();
  for await (const file of source.files()) pathOfLabel.set(file.label, file.path);
  const scratch = await mkdtemp(join(tmpdir(), "aiclone-speech-"));
  let chatDir = "";
  try {
    for await (const record of records) {
      if (record.type === "chat") chatDir = posix.dirname(pathOfLabel.get(record.chat.source) ?? "");
      const voices = record.type === "message" ? (record.message.media ?? []).filter(isVoice) : [];
      if (record.type !== "message" || voices.length === 0) {
        yield record;
        continue;
      }
      const owner = record.message.authorId !== null && ownerIds.has(record.message.authorId);
      const texts: string[] = [];
      for (const voice of voices) {
        const where = { chatDir, source, scratch, signal };
        const text = await transcribeMedia(voice.path, where, recognizer, counts);
        if (!text) continue;
        texts.push(text);
        if (owner) counts.ownerTranscribed++;
        else counts.contactsTranscribed++;
      }
      yield texts.length === 0
        ? record
        : { type: "message", message: withWords(record.message, texts, owner) };
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function withWords(message: ChatMessage, texts: string[], owner: boolean): ChatMessage {
  const words = owner ? texts.join("\n") : texts.map((t) => `[голосовое: ${t}]`).join("\n");
  return { ...message, kind: "text", text: message.text ? `${message.text}\n${words}` : words };
}

interface Where {
  chatDir: string;
  source: ExportSource;
  scratch: string;
  signal: AbortSignal | undefined;
}

async function transcribeMedia(
  path: string | undefined,
  { chatDir, source, scratch, signal }: Where,
  recognizer: SpeechRecognizer,
  counts: SpeechCounts,
): Promise<string> {
  const file = path ? await source.file(posix.normalize(posix.join(chatDir, path))) : null;
  if (!file) {
    counts.missing++;
    return "";
  }
  const local = join(scratch, `voice${extname(file.path) || ".ogg"}`);
  try {
    await pipeline(await file.open(), createWriteStream(local), signal ? { signal } : {});
    const text = (await recognizer.transcribe(local, signal)).trim();
    if (!text) counts.withoutWords++;
    return text;
  } catch (error) {
    signal?.throwIfAborted();
    void error;
    counts.failed++;
    return "";
  } finally {
    await rm(local, { force: true });
  }
}
