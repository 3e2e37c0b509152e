export { discordChatType } from "./discordChannel.js";
export { mediaTypeOfFileName } from "./discordMedia.js";
export { createDiscordReader, type DiscordReaderLimits, discordReader } from "./discordReader.js";
