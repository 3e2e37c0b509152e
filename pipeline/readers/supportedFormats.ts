import type { ExportFormat } from "../model/conversation.js";

/** A format the platform reads, its name as people know it, and how a person gets the file out of the app. */
export interface SupportedFormat {
  format: ExportFormat;
  name: string;
  /** What to upload. */
  files: string;
  /** How to export it, step by step, in the app's English menu names. */
  steps: string;
}

/** Every format the default readers take, in the order help and docs list them. */
export const SUPPORTED_FORMATS: readonly SupportedFormat[] = [
  {
    format: "telegram-json",
    name: "Telegram (JSON)",
    files: "result.json (one chat or the whole account), or its folder / zip",
    steps:
      "Telegram Desktop → Settings → Advanced → Export Telegram data (whole account), or a chat's ⋮ menu → Export chat history; choose “Machine-readable JSON”.",
  },
  {
    format: "telegram-html",
    name: "Telegram (HTML)",
    files:
      "the export folder or its zip (messages.html, messages2.html, …; chats/chat_NNN/ in a full export)",
    steps:
      "the same Telegram Desktop export with its default “Human-readable HTML”. The HTML names no account: choose the owner by name.",
  },
  {
    format: "whatsapp-txt",
    name: "WhatsApp",
    files: "“WhatsApp Chat with ….txt” or the .zip WhatsApp makes",
    steps:
      "Android: open the chat → ⋮ → More → Export chat → Without media. iPhone: open the chat → the contact's name → Export Chat → Without Media. Send the file to yourself.",
  },
  {
    format: "discord-json",
    name: "Discord",
    files: "DiscordChatExporter's .json files",
    steps:
      "DiscordChatExporter (github.com/Tyrrrz/DiscordChatExporter): export the channels or DMs with the format “JSON”. Discord's own data package is not read.",
  },
  {
    format: "vk-html",
    name: "VK",
    files: "the VK data archive (“Архив данных”) zip or folder: messages/<id>/messages0.html, …",
    steps:
      "vk.com/data_protection (Settings → Privacy → “Request archive” / Настройки → Приватность → Запросить архив), tick Messages, download the zip when VK sends the link. Your own messages are “Вы”.",
  },
];

/** The list for `--help`: one paragraph per format. */
export function supportedFormatsHelp(): string {
  const lines = ["Supported exports (detected from content; loose files, folders and zips):"];
  for (const f of SUPPORTED_FORMATS) lines.push(`  ${f.name}: ${f.files}.`, `    How: ${f.steps}`);
  return lines.join("\n");
}
