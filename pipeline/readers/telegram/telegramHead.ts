/**
 * Cheap recognition from a file's first bytes. A Telegram export is a JSON object whose early keys are those
 * of a chat (`messages` with tdesktop message fields or chat types) or of a full export
 * (`personal_information`, `chats`); DiscordChatExporter files also have `messages` but start with `guild`
 * and `channel`, so those are refused.
 */
export function looksLikeTelegramExport(path: string, head: Buffer): boolean {
  if (!path.toLowerCase().endsWith(".json")) return false;
  const text = head.toString("utf8");
  if (!/^\uFEFF?\s*\{/.test(text)) return false;
  if (/"guild"\s*:/.test(text) && /"channel"\s*:/.test(text)) return false;
  if (/"(personal_information|left_chats)"\s*:/.test(text)) return true;
  if (/"chats"\s*:\s*\{/.test(text)) return true;
  if (!/"messages"\s*:\s*\[/.test(text)) return false;
  return (
    CHAT_TYPE.test(text) ||
    /"(date_unixtime|from_id|actor_id|text_entities)"\s*:/.test(text) ||
    /"type"\s*:\s*"(message|service)"/.test(text) ||
    // An empty chat has nothing past its header.
    /"messages"\s*:\s*\[\s*\]/.test(text)
  );
}

const CHAT_TYPE =
  /"type"\s*:\s*"(personal_chat|bot_chat|private_group|private_supergroup|public_supergroup|private_channel|public_channel|saved_messages|replies|verification_codes)"/;
