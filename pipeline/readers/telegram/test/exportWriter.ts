/**
 * Writes tdesktop-shaped JSON as a sequence of parts (never one big string): 1-space indentation, keys in
 * the order given, and control characters as tdesktop's invalid `\xNN` escapes, like the real exporter.
 */
export interface WrittenChat {
  header: Record<string, unknown>;
  messages: Iterable<Record<string, unknown>>;
}

export type WrittenExport =
  | { kind: "single"; chat: WrittenChat }
  | {
      kind: "full";
      personal?: Record<string, unknown>;
      /** Put personal_information after the chat lists (tdesktop never does; readers must cope). */
      personalLast?: boolean;
      chats: WrittenChat[];
      leftChats?: WrittenChat[];
      /** Sections a reader must step over. */
      extras?: Record<string, unknown>;
    };

export function tdesktopJson(value: unknown, indent = 1): string {
  // Consuming `\\` pairs first keeps a literal backslash followed by "u0001" out of the rewrite.
  return JSON.stringify(value, null, indent).replace(
    /\\\\|\\u00([01][0-9a-f])/g,
    (match, hex: string | undefined) => (hex === undefined ? match : `\\x${hex.toUpperCase()}`),
  );
}

function* chatParts(chat: WrittenChat): Generator<string> {
  const header = tdesktopJson(chat.header);
  // Reopen the header object to append the messages array.
  yield header === "{}" ? '{\n "messages": [' : `${header.slice(0, -2)},\n "messages": [`;
  let first = true;
  for (const message of chat.messages) {
    yield `${first ? "\n" : ",\n"}${tdesktopJson(message)}`;
    first = false;
  }
  yield "\n ]\n}";
}

function* listParts(chats: readonly WrittenChat[]): Generator<string> {
  yield '{\n "about": "list",\n "list": [';
  let first = true;
  for (const chat of chats) {
    yield first ? "\n" : ",\n";
    yield* chatParts(chat);
    first = false;
  }
  yield "\n ]\n}";
}

export function* writeTelegramExport(exp: WrittenExport): Generator<string> {
  if (exp.kind === "single") {
    yield* chatParts(exp.chat);
    return;
  }
  const sections: [string, () => Iterable<string>][] = [["about", () => [tdesktopJson("Here is the data")]]];
  const personal = exp.personal;
  if (personal && !exp.personalLast) sections.push(["personal_information", () => [tdesktopJson(personal)]]);
  for (const [key, value] of Object.entries(exp.extras ?? {}))
    sections.push([key, () => [tdesktopJson(value)]]);
  sections.push(["chats", () => listParts(exp.chats)]);
  if (exp.leftChats) {
    const left = exp.leftChats;
    sections.push(["left_chats", () => listParts(left)]);
  }
  if (personal && exp.personalLast) sections.push(["personal_information", () => [tdesktopJson(personal)]]);
  yield "{";
  let first = true;
  for (const [key, parts] of sections) {
    yield `${first ? "\n" : ",\n"} ${JSON.stringify(key)}: `;
    yield* parts();
    first = false;
  }
  yield "\n}\n";
}

export function exportText(exp: WrittenExport): string {
  return [...writeTelegramExport(exp)].join("");
}
