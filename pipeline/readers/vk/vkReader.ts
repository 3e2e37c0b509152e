import { posix } from "node:path";
import type { ChatType, ExportRecord } from "../../model/conversation.js";
import type { ExportFile, ExportReader, ExportSource, ReadContext } from "../../model/exportSource.js";
import { streamHtml } from "../html/index.js";
import { isVkCompanion, looksLikeVkPage, vkPageOffsetOf } from "./vkHead.js";
import { mapVkMessage, VK_OWNER_ID } from "./vkMessage.js";
import { type RawVkMessage, VkPageParser } from "./vkPageParser.js";

/** VK writes 50 messages a page: messages0.html, messages50.html, … */
const PAGE_STEP = 50;
const GROUP_CHAT_FROM = 2_000_000_000;

/**
 * Reads a VK personal data archive's conversation (`messages/<peer id>/messages0.html`, `messages50.html`, …;
 * windows-1251 in older archives, UTF-8 in newer: detected per page). The first page reads the others
 * through the source and emits the conversation oldest message first, whichever way the pages run; a later
 * page whose previous page exists yields nothing. "Вы" is the archive's owner: an `account` record says so.
 */
export const vkReader: ExportReader = {
  format: "vk-html",
  accepts: (file, head) => looksLikeVkPage(file.path, head) || isVkCompanion(file.path, head),
  read: readVkConversation,
};

export async function* readVkConversation(
  file: ExportFile,
  signal?: AbortSignal,
  context: ReadContext = {},
): AsyncGenerator<ExportRecord> {
  const { source } = context;
  const offset = vkPageOffsetOf(file.path);
  // The archive's other pages: part of it, no messages.
  if (offset === null) return;
  const folder = posix.dirname(file.path);
  const pathAt = (n: number) => (folder === "." ? `messages${n}.html` : `${folder}/messages${n}.html`);
  if (offset > 0 && source && (await source.file(pathAt(offset - PAGE_STEP))) !== null) return;
  const pages = await pagesFrom(file, offset, pathAt, source);
  const chatId = folder === "." ? "vk" : posix.basename(folder);
  const first = await readPage(file, signal);
  const newestFirst = isNewestFirst(first.messages);
  yield { type: "account", owner: { id: VK_OWNER_ID, name: null } };
  yield {
    type: "chat",
    chat: { id: chatId, name: first.name, type: chatTypeOf(chatId), format: "vk-html", source: file.label },
  };
  const order = newestFirst ? [...pages].reverse() : pages;
  for (const page of order) {
    const read = page === file ? first : await readPage(page, signal);
    const messages = newestFirst ? [...read.messages].reverse() : read.messages;
    for (const raw of messages) yield toRecord(raw, chatId, page.label);
  }
}

async function pagesFrom(
  file: ExportFile,
  offset: number,
  pathAt: (n: number) => string,
  source: ExportSource | undefined,
): Promise<ExportFile[]> {
  const pages = [file];
  if (!source) return pages;
  for (let n = offset + PAGE_STEP; ; n += PAGE_STEP) {
    const next = await source.file(pathAt(n));
    if (next === null) return pages;
    pages.push(next);
  }
}

/** A page is 50 messages: held whole, so that a newest-first archive can be turned around. */
async function readPage(
  file: ExportFile,
  signal?: AbortSignal,
): Promise<{ name: string | null; messages: RawVkMessage[] }> {
  const parser = new VkPageParser();
  const messages: RawVkMessage[] = [];
  for await (const raw of streamHtml(file, parser, () => parser.messages.splice(0), {
    charset: "detect",
    signal,
  }))
    messages.push(raw);
  return { name: parser.conversationName, messages };
}

function isNewestFirst(messages: readonly RawVkMessage[]): boolean {
  const times = messages.flatMap((raw) => {
    const mapped = mapVkMessage(raw, "");
    return "timestamp" in mapped ? [mapped.timestamp] : [];
  });
  const first = times[0];
  const last = times.at(-1);
  return first !== undefined && last !== undefined && first > last;
}

function toRecord(raw: RawVkMessage, chatId: string, label: string): ExportRecord {
  const mapped = mapVkMessage(raw, chatId);
  if ("reason" in mapped)
    return { type: "skipped", skipped: { reason: mapped.reason, where: `${label} message ${raw.id}` } };
  return { type: "message", message: mapped };
}

/** Peer ids from 2,000,000,000 are group conversations; negative ids are communities (bots, shops). */
function chatTypeOf(chatId: string): ChatType {
  const id = Number(chatId);
  if (!Number.isSafeInteger(id)) return "other";
  if (id >= GROUP_CHAT_FROM) return "group";
  return id < 0 ? "bot" : "personal";
}
