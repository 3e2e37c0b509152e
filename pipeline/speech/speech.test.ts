import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { build } from "../dataset/build.js";
import { exportFilesSource } from "../dataset/exportFilesSource.js";
import { buildFixture } from "../dataset/test/buildHarness.js";
import { masha, me, RecordFixture } from "../dataset/test/recordFixture.js";
import { SPEECH_SAMPLE_RATE, toMono16k } from "./audioDecoding.js";
import { speechForBuild } from "./speechForBuild.js";
import type { SpeechRecognizer } from "./speechRecognizer.js";

/** A stand-in for Whisper: the "audio" files of the test hold their words as text; "silence" holds none. */
const standIn: SpeechRecognizer = {
  async transcribe(path) {
    const text = await readFile(path, "utf8");
    if (text === "broken") throw new Error("cannot decode");
    return text === "silence" ? "" : text;
  },
};

/** A Telegram Desktop export folder: result.json and its voice_messages folder. */
async function telegramFolder(root: string): Promise<string> {
  const dir = join(root, "ChatExport_2024-03-01");
  await mkdir(join(dir, "voice_messages"), { recursive: true });
  const voices: Record<string, string> = {
    "audio_1@01-03-2024_10-00-00.ogg": "ну короче я буду в семь, не опаздывай",
    "audio_2@01-03-2024_10-01-00.ogg": "а ты где сейчас?",
    "audio_3@01-03-2024_11-00-00.ogg": "silence",
    "audio_4@01-03-2024_11-02-00.ogg": "broken",
  };
  for (const [name, words] of Object.entries(voices))
    await writeFile(join(dir, "voice_messages", name), words);
  let id = 1;
  const at = (minute: number) => {
    const t = Date.UTC(2024, 2, 1, 10, minute) / 1000;
    return { date: new Date(t * 1000).toISOString().slice(0, 19), date_unixtime: String(t) };
  };
  const text = (minute: number, from: typeof me, words: string) => ({
    id: id++,
    type: "message",
    ...at(minute),
    from: from.name,
    from_id: from.id,
    text: words,
  });
  const voice = (minute: number, from: typeof me, file: string | null) => ({
    id: id++,
    type: "message",
    ...at(minute),
    from: from.name,
    from_id: from.id,
    file: file
      ? `voice_messages/${file}`
      : "(File not included. Change data exporting settings to download.)",
    media_type: "voice_message",
    mime_type: "audio/ogg",
    duration_seconds: 3,
    text: "",
  });
  const messages = [
    voice(0, masha, "audio_2@01-03-2024_10-01-00.ogg"),
    voice(1, me, "audio_1@01-03-2024_10-00-00.ogg"),
    text(20, masha, "а завтра?"),
    voice(21, me, "audio_3@01-03-2024_11-00-00.ogg"),
    voice(22, me, "audio_4@01-03-2024_11-02-00.ogg"),
    voice(23, me, null),
    text(24, me, "завтра тоже)"),
  ];
  await writeFile(
    join(dir, "result.json"),
    JSON.stringify({ name: masha.name, type: "personal_chat", id: 7, messages }),
  );
  return dir;
}

describe("voice notes", () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "speech-"));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it("transcribed: the owner's words become their turn, a contact's are context", async () => {
    const dir = await telegramFolder(root);
    const speech = await speechForBuild([me.id], { recognizer: standIn });
    const out = join(root, "out");
    const stats = await build(exportFilesSource([dir], { transform: speech.transform }).records, {
      owner: { ids: [me.id], name: me.name },
      outDir: out,
      valFraction: 0,
    });
    await speech.recordIn(out);
    const train = (await readFile(join(out, "train.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const turns = train.flatMap((s: { messages: { role: string; content: string }[] }) => s.messages);
    assert.ok(
      turns.some((t) => t.role === "assistant" && t.content === "ну короче я буду в семь, не опаздывай"),
      JSON.stringify(turns),
    );
    assert.ok(turns.some((t) => t.role === "user" && t.content.includes("[голосовое: а ты где сейчас?]")));
    assert.deepEqual(speech.counts, {
      ownerTranscribed: 1,
      contactsTranscribed: 1,
      withoutWords: 1,
      missing: 1,
      failed: 1,
    });
    // The three voice notes with no words (silent, undecodable, not exported) are counted, not trained on.
    assert.equal(stats.dropped.voiceNotTranscribed, 3);
    const written = JSON.parse(await readFile(join(out, "stats.json"), "utf8"));
    assert.deepEqual(written.speech, speech.counts);
  });

  it("without a speech model, a voice note is a drop of its own reason", async () => {
    const f = new RecordFixture()
      .chat("1", masha.name)
      .msg(masha.id, masha.name, "привет")
      .msg(me.id, me.name, "", { kind: "media", media: [{ type: "voice", path: "voice_messages/a.ogg" }] })
      .msg(me.id, me.name, "", { kind: "media", media: [{ type: "photo", path: "photos/p.jpg" }] })
      .msg(me.id, me.name, "ок");
    const { stats } = await buildFixture(f);
    assert.equal(stats.dropped.voiceNotTranscribed, 1);
    assert.equal(stats.dropped.media, 1);
  });

  it("decodes to mono 16 kHz by averaging channels and periods", () => {
    const left = Float32Array.from({ length: 48 }, (_, i) => (i % 3 === 0 ? 0.3 : 0));
    const right = Float32Array.from({ length: 48 }, () => 0.1);
    const mono = toMono16k([left, right], 48_000);
    assert.equal(mono.length, 16);
    assert.equal(SPEECH_SAMPLE_RATE, 16_000);
    for (const v of mono) assert.ok(Math.abs(v - (0.1 + 0.1) / 2) < 1e-6, String(v));
  });
});
