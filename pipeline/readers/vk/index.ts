export { looksLikeVkPage } from "./vkHead.js";
export { VK_OWNER_ID } from "./vkMessage.js";
export { readVkConversation, vkReader } from "./vkReader.js";
