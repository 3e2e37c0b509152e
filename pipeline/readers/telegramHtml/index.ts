export { looksLikeTelegramHtml } from "./telegramHtmlHead.js";
export { readTelegramHtml, telegramHtmlReader } from "./telegramHtmlReader.js";
