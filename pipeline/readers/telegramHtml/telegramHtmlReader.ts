import { posix } from "node:path";
import type { ChatType, ExportRecord } from "../../model/conversation.js";
import type { ExportFile, ExportReader, ExportSource, ReadContext } from "../../model/exportSource.js";
import { streamHtml } from "../html/index.js";
import { ACCOUNT_PAGE, readAccountPage } from "./accountPage.js";
import { listedChatKind } from "./chatList.js";
import { folderOf, pageNumberOf, pagePath } from "./chatPages.js";
import { type HtmlChatState, mapHtmlMessage } from "./htmlMessage.js";
import { TelegramHtmlPageParser } from "./pageParser.js";
import type { RawHtmlMessage } from "./rawMessage.js";
import { isTdesktopCompanion, looksLikeTelegramHtml } from "./telegramHtmlHead.js";

/** Messages held back to tell a personal chat from a group before the chat record goes out (tdesktop pages hold 1,000). */
const TYPE_WINDOW = 1000;

/**
 * Reads a Telegram Desktop HTML export: one chat's `messages.html`, `messages2.html`, … (in a full export,
 * one folder per chat under `chats/`). The first page of a chat reads the later ones in order through the
 * source; a later page whose previous page exists yields nothing when its turn comes.
 *
 * The HTML names no ids: authors are their display names (`name:…` keys), the chat is its folder. A full
 * export's `export_results.html` names the account by its name (an `account` record `name:<first last>`);
 * a single chat's export does not, so the owner is chosen by the person (the owner choice lists the authors
 * with their counts). Service lines carry no date: they take the previous message's time.
 */
export const telegramHtmlReader: ExportReader = {
  format: "telegram-html",
  accepts: (file, head) => looksLikeTelegramHtml(file.path, head) || isTdesktopCompanion(file.path, head),
  read: readTelegramHtml,
};

export async function* readTelegramHtml(
  file: ExportFile,
  signal?: AbortSignal,
  context: ReadContext = {},
): AsyncGenerator<ExportRecord> {
  if (posix.basename(file.path) === ACCOUNT_PAGE) {
    yield* readAccountPage(file, signal);
    return;
  }
  const { source } = context;
  const number = pageNumberOf(file.path);
  // The export's lists, stylesheet and script: part of the export, no messages.
  if (number === null) return;
  const page = number;
  const folder = folderOf(file.path);
  if (page > 1 && source && (await source.file(pagePath(folder, page - 1))) !== null) return;
  const state: HtmlChatState = {
    chatId: folder === "" ? "messages" : folder,
    folder,
    author: null,
    viaBot: null,
    forwardedFrom: null,
    timestamp: null,
  };
  const listed = source ? await listedChatKind(source, folder, signal) : undefined;
  const held: ExportRecord[] = [];
  let chatSent = false;
  const authors = new Set<string>();
  let parser: TelegramHtmlPageParser | null = null;
  const sendChat = (): ExportRecord[] => {
    chatSent = true;
    const name = parser?.chatName ?? null;
    const chat = {
      id: state.chatId,
      name,
      type: chatTypeOf(name, listed, authors),
      format: "telegram-html" as const,
    };
    return [{ type: "chat", chat: { ...chat, source: file.label } }, ...held.splice(0)];
  };
  for await (const pageFile of pages(file, page, folder, source)) {
    parser = new TelegramHtmlPageParser();
    const pageParser = parser;
    const drain = () => pageParser.messages.splice(0);
    for await (const raw of streamHtml(pageFile, pageParser, drain, { charset: "utf-8", signal })) {
      // Negative ids are the day separators tdesktop draws between days: not messages.
      if (raw.id < 0) continue;
      const record = toRecord(raw, state, pageFile.label);
      if (chatSent) {
        yield record;
        continue;
      }
      if (record.type === "message" && record.message.kind !== "service" && record.message.authorName)
        authors.add(record.message.authorName);
      held.push(record);
      if (held.length >= TYPE_WINDOW) yield* sendChat();
    }
    if (!chatSent) yield* sendChat();
  }
}

async function* pages(
  first: ExportFile,
  page: number,
  folder: string,
  source: ExportSource | undefined,
): AsyncGenerator<ExportFile> {
  yield first;
  if (!source) return;
  for (let n = page + 1; ; n++) {
    const next = await source.file(pagePath(folder, n));
    if (next === null) return;
    yield next;
  }
}

function toRecord(raw: RawHtmlMessage, state: HtmlChatState, label: string): ExportRecord {
  const mapped = mapHtmlMessage(raw, state);
  if ("reason" in mapped)
    return { type: "skipped", skipped: { reason: mapped.reason, where: `${label} message ${raw.id}` } };
  return { type: "message", message: mapped };
}

/**
 * The chat page does not say what kind of chat it is: "Saved messages" by its name, else the kind a full
 * export's `lists/chats.html` gives, else (a single chat's export) a personal chat when at most two people
 * write in its first page and a group otherwise (a channel then reads as a chat of one author, the channel).
 */
function chatTypeOf(
  name: string | null,
  listed: ChatType | undefined,
  authors: ReadonlySet<string>,
): ChatType {
  if (name === "Saved messages" || name === "Saved Messages") return "saved";
  if (listed) return listed;
  return authors.size <= 2 ? "personal" : "group";
}
