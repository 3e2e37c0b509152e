import type { MediaType, MessageKind } from "../../model/conversation.js";

/**
 * What VK writes in `attachment__description` (Russian and English archives) → a placeholder. The archive
 * holds links to vk.com, never the files, so every media reference is `omitted`.
 */
type Attachment = { media: MediaType; kind?: MessageKind } | { kind: MessageKind } | { forwarded: true };

const TABLE: ReadonlyArray<[RegExp, Attachment]> = [
  [/^(фотография|photo)/i, { media: "photo" }],
  [/^(граффити|graffiti)/i, { media: "photo" }],
  [/^(видеозапись|видео|video)/i, { media: "video" }],
  [/^(голосовое сообщение|аудиосообщение|voice message|audio message)/i, { media: "voice" }],
  [/^(аудиозапись|audio)/i, { media: "audio" }],
  [/^(документ|файл|document|file)/i, { media: "file" }],
  [/^(стикер|sticker)/i, { media: "sticker", kind: "sticker" }],
  [/^(карта|местоположение|map|location)/i, { kind: "location" }],
  [/^(опрос|poll)/i, { kind: "poll" }],
  [/(прикрепл[её]нн|пересланн|attached message|forwarded message)/i, { forwarded: true }],
];

export function attachmentOf(description: string): Attachment | null {
  const text = description.trim();
  for (const [pattern, attachment] of TABLE) if (pattern.test(text)) return attachment;
  return null;
}
