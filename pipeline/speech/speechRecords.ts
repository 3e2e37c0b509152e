import { MediaCopies } from "../archive/mediaCopies.js";
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
  const media = await MediaCopies.open(source, "speech", signal);
  try {
    for await (const record of records) {
      media.follow(record);
      const voices = record.type === "message" ? (record.message.media ?? []).filter(isVoice) : [];
      if (record.type !== "message" || voices.length === 0) {
        yield record;
        continue;
      }
      const owner = record.message.authorId !== null && ownerIds.has(record.message.authorId);
      const texts: string[] = [];
      for (const voice of voices) {
        const text = await transcribeVoice(media, voice.path, recognizer, counts);
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
    await media.close();
  }
}

function withWords(message: ChatMessage, texts: string[], owner: boolean): ChatMessage {
  const words = owner ? texts.join("\n") : texts.map((t) => `[голосовое: ${t}]`).join("\n");
  return { ...message, kind: "text", text: message.text ? `${message.text}\n${words}` : words };
}

async function transcribeVoice(
  media: MediaCopies,
  path: string | undefined,
  recognizer: SpeechRecognizer,
  counts: SpeechCounts,
): Promise<string> {
  const outcome = await media.read(path, ".ogg", async (local) =>
    (await recognizer.transcribe(local, media.signal)).trim(),
  );
  if (outcome.kind === "missing") counts.missing++;
  if (outcome.kind === "failed") counts.failed++;
  if (outcome.kind !== "done") return "";
  if (!outcome.value) counts.withoutWords++;
  return outcome.value;
}
