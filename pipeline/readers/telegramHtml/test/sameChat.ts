/**
 * One chat as tdesktop JSON message objects, covering every message kind the JSON reader knows, for writing
 * the same chat as JSON and as HTML.
 */
type Json = Record<string, unknown>;

const T0 = 1_704_103_200; // 2024-01-01T10:00:00Z
const NOT_INCLUDED = "(File not included. Change data exporting settings to download.)";

const masha = { from: "Маша", from_id: "user7" };
const anya = { from: "Аня Смирнова", from_id: "user1" };

function at(id: number, offset: number, fields: Json): Json {
  return { id, type: "message", date_unixtime: String(T0 + offset), text: "", ...fields };
}

export function sameChatMessages(): Json[] {
  return [
    at(1, 0, { ...masha, text: `Привет! <b> & 'кавычки' "двойные"` }),
    at(2, 60, {
      ...anya,
      text: [
        { type: "bold", text: "жирный" },
        " и ",
        { type: "text_link", text: "ссылка", href: "https://example.org/?a=1&b=2" },
        "\nвторая строка ",
        { type: "italic", text: "курсив" },
        { type: "spoiler", text: "секрет" },
        { type: "code", text: "x < y" },
      ],
    }),
    at(3, 120, { ...anya, text: "подряд\nс переносом\n\nи пустой строкой" }),
    at(4, 200, { ...anya, photo: "photos/photo_1@01-01-2024_10-03-20.jpg", text: "смотри" }),
    at(5, 300, { ...masha, photo: NOT_INCLUDED }),
    at(6, 310, { ...masha, file: "stickers/sticker.webp", media_type: "sticker", sticker_emoji: "😀" }),
    at(7, 320, { ...masha, file: NOT_INCLUDED, media_type: "sticker", sticker_emoji: "👍" }),
    at(8, 400, { ...anya, file: "voice_messages/audio_1@01-01-2024.ogg", media_type: "voice_message" }),
    at(9, 410, { ...anya, file: NOT_INCLUDED, media_type: "video_message" }),
    at(10, 500, { ...masha, file: "video_files/video.mp4", media_type: "video_file", text: "видео" }),
    at(11, 510, { ...masha, file: "video_files/gif.mp4", media_type: "animation" }),
    at(12, 520, { ...masha, file: "files/song.mp3", media_type: "audio_file" }),
    at(13, 600, { ...anya, file: "files/doc.pdf", file_name: "doc.pdf" }),
    at(14, 700, { ...anya, reply_to_message_id: 1, text: "ответ на первое" }),
    at(15, 710, { ...anya, reply_to_message_id: 13, text: "ответ на документ" }),
    at(16, 720, {
      ...anya,
      reply_to_message_id: 5,
      reply_to_peer_id: "channel9",
      text: "ответ в другой чат",
    }),
    at(17, 800, { ...masha, forwarded_from: "Канал Новости", text: "новость" }),
    at(18, 800, { ...masha, forwarded_from: "Канал Новости", text: "ещё новость" }),
    at(19, 900, { ...masha, via_bot: "@gif", text: "гиф через бота" }),
    at(20, 905, { ...masha, via_bot: "@gif", text: "ещё через бота" }),
    {
      ...at(21, 1000, { actor: "Аня Смирнова", actor_id: "user1", action: "pin_message", message_id: 19 }),
      type: "service",
    },
    at(22, 86_400 + 10, { ...anya, poll: { question: "Куда идём?", closed: false, answers: [] } }),
    at(23, 86_400 + 20, {
      ...masha,
      contact_information: { first_name: "Иван", phone_number: "+79000000000" },
    }),
    at(24, 86_400 + 30, { ...masha, location_information: { latitude: 55.75, longitude: 37.61 } }),
    {
      ...at(25, 86_400 + 40, {
        actor: "Маша",
        actor_id: "user7",
        action: "phone_call",
        duration_seconds: 10,
      }),
      type: "service",
    },
    { id: 26, type: "unsupported", date_unixtime: String(T0 + 86_400 + 50) },
    at(27, 86_400 + 2000, { ...anya, text: "\u200eдобрый  вечер  " }),
    at(28, 86_400 + 2010, { ...anya, text: "  с пробелами в начале" }),
  ];
}

export const SAME_CHAT_HEADER = { name: "Маша", type: "personal_chat", id: 42 };
