import type { ChatInfo, ChatType } from "../../model/conversation.js";
import { asRecord, stringOf } from "../json/index.js";
import { idOf } from "./snowflake.js";

/**
 * DiscordChatExporter's ChannelKind names. A server channel (text, thread, forum, voice chat) is a group
 * conversation; announcement channels are broadcasts, like a Telegram channel.
 */
const channelTypes: Readonly<Record<string, ChatType>> = {
  DirectTextChat: "personal",
  DirectGroupTextChat: "group",
  GuildTextChat: "group",
  GuildVoiceChat: "group",
  GuildStageVoice: "group",
  GuildPublicThread: "group",
  GuildPrivateThread: "group",
  GuildNewsThread: "group",
  GuildForum: "group",
  GuildMedia: "group",
  GuildCategory: "other",
  GuildDirectory: "other",
  GuildNews: "channel",
  GuildAnnouncement: "channel",
};

export function discordChatType(channelType: string | null): ChatType {
  return (
    (channelType !== null && Object.hasOwn(channelTypes, channelType) && channelTypes[channelType]) || "other"
  );
}

/** The chat record for a `channel` object, or a reason it cannot be one. */
export function discordChatInfo(channel: unknown, source: string): ChatInfo | string {
  const record = asRecord(channel);
  if (!record) return "channel is not an object";
  const id = idOf(record.id);
  if (id === null) return "channel has no id";
  return {
    id,
    name: stringOf(record.name),
    type: discordChatType(stringOf(record.type)),
    format: "discord-json",
    source,
  };
}
