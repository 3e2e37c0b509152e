export { looksLikeTelegramExport } from "./telegramHead.js";
export { readTelegramExport, telegramReader } from "./telegramReader.js";
