/**
 * The web channel: a chat page with streaming and a conversation list, and an OpenAI-compatible API
 * (`/v1/chat/completions`, `/v1/models`) so any OpenAI client can talk to the clone.
 */
import { definePlugin } from "@aiclone/plugin-sdk";
import { WebChannel } from "./webChannel.js";
import { webConfigSchema } from "./webConfig.js";

export default definePlugin({
  manifest: {
    name: "web",
    kind: "channel",
    version: "1.0.0",
    apiVersion: "^1.0.0",
    description: "Chat page and OpenAI-compatible API on 127.0.0.1:3000",
    configSchema: webConfigSchema,
  },
  create: (context) => new WebChannel(context),
});
