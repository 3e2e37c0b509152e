/**
 * Synthetic chat exports for the dataset benchmarks: a Cyrillic WhatsApp .txt (Android, Russian layout)
 * and a Telegram Desktop single-chat result.json, the same conversation in both. Sessions of 20 messages
 * with an 8 h gap between them; two authors (the owner Аня, user1, and Маша, user2); now and then a phone
 * number, an e-mail, a link, an emoji or a second line, so redaction and merging have work to do.
 * Deterministic: the same size gives the same file.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";

export const ownerName = "Аня";
const otherName = "Маша";

const phrases = [
  "привет, как ты? давно не виделись))",
  "норм, работаю потихоньку. а у тебя что нового?",
  "слушай, а ты в субботу свободна? можно в кино сходить",
  "ахах да, я тоже так подумала 😂",
  "ок, договорились. напиши, когда будешь выходить",
  "sorry, I was busy — call you tonight?",
  "купила наконец тот самый кофе, очень вкусный",
  "не забудь взять зонт, обещали дождь",
  "вот номер мастера: +7 916 123-45-67, скажи что от меня",
  "скинула тебе на почту anya.petrova@example.ru посмотри",
  "смотри что нашла https://example.com/recepty/pirog?id=42",
  "ну вообще да\nно я бы ещё подумала",
  "Мы встретимся у метро в семь, хорошо?",
  "спасибо большое!! 🙏❤️",
];

export interface SyntheticExport {
  bytes: number;
  messages: number;
}

/** Writes about `bytes` of export to `path`; answers the size written and the number of messages. */
export async function writeSyntheticExport(
  path: string,
  format: "telegram" | "whatsapp",
  bytes: number,
): Promise<SyntheticExport> {
  const out = createWriteStream(path);
  let pending = "";
  let written = 0;
  const write = async (chunk: string) => {
    pending += chunk;
    if (pending.length < 1 << 16) return;
    written += Buffer.byteLength(pending);
    const ok = out.write(pending);
    pending = "";
    if (!ok) await once(out, "drain");
  };
  let t = Date.UTC(2020, 0, 1, 9, 0, 0);
  if (format === "telegram")
    await write(`{\n "name": "${otherName}",\n "type": "personal_chat",\n "id": 2,\n "messages": [\n`);
  let i = 0;
  for (; written + Buffer.byteLength(pending) < bytes; i++) {
    t += i % 20 === 0 ? 8 * 3_600_000 : 90_000;
    const owner = i % 3 !== 0;
    const text = `${phrases[(i * 7 + (i >> 3)) % phrases.length]} (${i})`;
    await write(format === "telegram" ? telegramMessage(i, t, owner, text) : whatsappMessage(t, owner, text));
  }
  if (format === "telegram") await write("\n ]\n}\n");
  written += Buffer.byteLength(pending);
  out.end(pending);
  await once(out, "finish");
  return { bytes: written, messages: i };
}

function telegramMessage(i: number, t: number, owner: boolean, text: string): string {
  const date = new Date(t).toISOString().slice(0, 19);
  const from = owner ? ownerName : otherName;
  return `${i ? ",\n" : ""}  {\n   "id": ${i + 1},\n   "type": "message",\n   "date": "${date}",\n   "date_unixtime": "${Math.floor(t / 1000)}",\n   "from": "${from}",\n   "from_id": "user${owner ? 1 : 2}",\n   "text": ${JSON.stringify(text)},\n   "text_entities": [{"type": "plain", "text": ${JSON.stringify(text)}}]\n  }`;
}

const pad = (n: number) => String(n).padStart(2, "0");

function whatsappMessage(t: number, owner: boolean, text: string): string {
  const d = new Date(t);
  return `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} - ${owner ? ownerName : otherName}: ${text}\n`;
}
