import { telegramExport } from "./telegramExportFixture.js";

/**
 * One person across two exports: a full Telegram export made by Петя's account (user2), in which Аня (user1)
 * writes 36 messages, and a WhatsApp chat in which the same Аня is "Анечка" (16 messages).
 */
export function identityExports(): { name: string; content: string }[] {
  const chat = JSON.parse(telegramExport());
  const full = {
    personal_information: { user_id: 2, first_name: "Петя" },
    chats: { list: [{ ...chat, id: 2 }] },
  };
  const lines = Array.from({ length: 8 }, (_, day) => [
    `1${day}.02.2024, 10:00 - Петя: как выходные ${day}?`,
    `1${day}.02.2024, 10:01 - Анечка: отлично!! были на даче ${day}`,
    `1${day}.02.2024, 10:02 - Петя: круто`,
    `1${day}.02.2024, 10:03 - Анечка: приезжай в следующий раз)`,
  ]).flat();
  return [
    { name: "result.json", content: JSON.stringify(full) },
    { name: "WhatsApp Chat with Петя.txt", content: lines.join("\n") },
  ];
}
