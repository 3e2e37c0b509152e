import { posix } from "node:path";
import type { ChatType } from "../../model/conversation.js";
import type { ExportSource } from "../../model/exportSource.js";
import { classesOf, type HtmlHandler, streamHtml, TextCapture } from "../html/index.js";

/** A full export's list of chats: each entry links a chat's first page and names its kind. */
export const CHAT_LIST = "lists/chats.html";

const KINDS: Readonly<Record<string, ChatType>> = {
  private: "personal",
  bot: "bot",
  group: "group",
  channel: "channel",
};

/**
 * Reads `lists/chats.html`: `a.entry[href="../chats/chat_001/messages.html#allow_back"]` with
 * `div.info` = tdesktop's TypeString (private, bot, group, channel, unknown). Chat folder → kind.
 */
class ChatListParser implements HtmlHandler {
  readonly kinds = new Map<string, ChatType>();
  private depth = 0;
  private entry: { folder: string; depth: number } | null = null;
  private info: { depth: number; text: TextCapture } | null = null;

  onopentag(name: string, attributes: Record<string, string>): void {
    this.depth++;
    const classes = classesOf(attributes);
    if (name === "a" && classes.has("entry")) {
      const href = (attributes.href ?? "").replace(/#.*$/, "");
      const page = posix.normalize(posix.join(posix.dirname(CHAT_LIST), href));
      this.entry = { folder: posix.dirname(page), depth: this.depth };
    } else if (this.entry && classes.has("info")) this.info = { depth: this.depth, text: new TextCapture() };
  }

  ontext(text: string): void {
    this.info?.text.text(text);
  }

  onclosetag(): void {
    if (this.info && this.info.depth === this.depth && this.entry) {
      this.kinds.set(this.entry.folder, KINDS[this.info.text.value("trim")] ?? "other");
      this.info = null;
    }
    if (this.entry && this.entry.depth === this.depth) this.entry = null;
    this.depth--;
  }
}

const lists = new WeakMap<ExportSource, Map<string, Promise<ReadonlyMap<string, ChatType>>>>();
const CHAT_FOLDER = /^(.*\/)?(chats\/chat_[^/]+)$/;

/**
 * The kind a full export's `lists/chats.html` gives the chat in `folder` (`chats/chat_001`, also under a
 * top folder the zip adds: `DataExport_2024-01-02/chats/chat_001`), read once per export; undefined when
 * the chat is not in such a list.
 */
export async function listedChatKind(
  source: ExportSource,
  folder: string,
  signal?: AbortSignal,
): Promise<ChatType | undefined> {
  const m = CHAT_FOLDER.exec(folder);
  if (!m) return undefined;
  const root = m[1] ?? "";
  let byRoot = lists.get(source);
  if (!byRoot) {
    byRoot = new Map();
    lists.set(source, byRoot);
  }
  let kinds = byRoot.get(root);
  if (!kinds) {
    kinds = readChatList(source, `${root}${CHAT_LIST}`, signal);
    byRoot.set(root, kinds);
  }
  return (await kinds).get(m[2] ?? "");
}

async function readChatList(
  source: ExportSource,
  path: string,
  signal?: AbortSignal,
): Promise<ReadonlyMap<string, ChatType>> {
  const file = await source.file(path);
  if (!file) return new Map();
  const parser = new ChatListParser();
  for await (const _ of streamHtml(file, parser, () => [], { charset: "utf-8", signal })) {
    // The list is small (one entry per chat) and read whole before the first chat's record.
  }
  return parser.kinds;
}
