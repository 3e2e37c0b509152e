import { ChatMessage } from "../model/conversation.js";
import { MessageDropReason } from "./dropReason.js";

export type MessageVerdict = { keep: true; text: string } | { keep: false; reason: MessageDropReason };

/**
 * Which messages carry someone's own words. Applied to every author alike: a forwarded text is not the
 * forwarder's words, and a bare photo or sticker has no words to learn from or answer.
 */
export function messageText(message: ChatMessage): MessageVerdict {
  if (message.forwardedFrom !== undefined) return { keep: false, reason: "forwarded" };
  // Inline-bot results (gifs, search cards) are the bot's text, sent on the author's behalf.
  if (message.viaBot) return { keep: false, reason: "viaBot" };
  switch (message.kind) {
    case "text":
    case "media": {
      // A caption is the author's words; media without one is dropped.
      const text = normaliseText(message.text);
      if (text.length > 0) return { keep: true, text };
      if (message.kind !== "media") return { keep: false, reason: "empty" };
      // A voice note is the author's words, not yet text: no speech model transcribed it.
      const voice =
        (message.media ?? []).length > 0 && (message.media ?? []).every((m) => m.type === "voice");
      return { keep: false, reason: voice ? "voiceNotTranscribed" : "media" };
    }
    default:
      return { keep: false, reason: message.kind };
  }
}

/** Trims the message and its lines' trailing spaces; inner line breaks are kept (they are style). */
function normaliseText(text: string): string {
  // One line (most messages): trimming its end and then the whole is trimming it.
  if (!text.includes("\n") && !text.includes("\r")) return text.trim();
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .trim();
}
