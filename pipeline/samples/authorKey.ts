import { ChatMessage } from "../model/conversation.js";

/**
 * The identity an author is counted and matched under: the export's author id, else the display name
 * (some WhatsApp lines only have a name); null when the export knows neither.
 */
export function authorKeyOf(message: Pick<ChatMessage, "authorId" | "authorName">): string | null {
  if (message.authorId) return message.authorId;
  const name = message.authorName?.trim();
  return name ? `name:${name}` : null;
}
