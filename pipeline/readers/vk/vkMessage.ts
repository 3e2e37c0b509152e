import type { ChatMessage, MediaRef } from "../../model/conversation.js";
import { attachmentOf } from "./vkAttachments.js";
import type { RawVkMessage } from "./vkPageParser.js";
import { fromVkDate, VK_DATE } from "./vkTime.js";

/** The archive's owner, as every VK archive calls them in their own messages. */
export const VK_OWNER_WORD = "Вы";
export const VK_OWNER_WORDS: ReadonlySet<string> = new Set(["Вы", "You"]);
/** The author id of the archive's owner: the archive does not give its own account's id on a message page. */
export const VK_OWNER_ID = "vk:self";

const EDITED = /\((ред\.|edited)\)\s*$/;
const PROFILE = /vk\.com\/((?:id|club|public|event)\d+|[\w.]+)\/?$/;

/** One raw VK message → a ChatMessage, or why it is unusable. */
export function mapVkMessage(raw: RawVkMessage, chatId: string): ChatMessage | { reason: string } {
  const timestamp = fromVkDate(raw.header);
  if (timestamp === null) return { reason: "no readable date in the message header" };
  const [authorId, authorName] = authorOf(raw);
  const message: ChatMessage = {
    id: raw.id,
    chatId,
    authorId,
    authorName,
    timestamp,
    text: raw.text,
    kind: "text",
  };
  if (EDITED.test(raw.header)) message.edited = true;
  const media: MediaRef[] = [];
  let forwarded = false;
  for (const description of raw.attachments) {
    const attachment = attachmentOf(description);
    if (attachment === null) media.push({ type: "file", omitted: true });
    else if ("forwarded" in attachment) forwarded = true;
    else {
      if ("media" in attachment) media.push({ type: attachment.media, omitted: true });
      if (attachment.kind) message.kind = attachment.kind;
    }
  }
  if (media.length > 0) message.media = media;
  const empty = message.text.trim() === "";
  // A message that only carries forwarded messages is not its author's words; one with text is.
  if (forwarded && empty) message.forwardedFrom = null;
  if (message.kind === "text" && empty && media.length > 0) message.kind = "media";
  if (message.kind === "text" && empty && !forwarded && raw.notice !== "") message.kind = "service";
  return message;
}

function authorOf(raw: RawVkMessage): [string | null, string | null] {
  if (raw.authorHref === null) {
    const name = raw.header.slice(0, raw.header.search(VK_DATE)).replace(/,\s*$/, "").trim();
    if (VK_OWNER_WORDS.has(name)) return [VK_OWNER_ID, name];
    return [null, name || null];
  }
  const profile = PROFILE.exec(raw.authorHref)?.[1];
  return [profile ? `vk:${profile}` : null, raw.authorLinkText || null];
}
