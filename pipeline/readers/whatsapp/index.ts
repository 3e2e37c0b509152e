export type { AmbiguousOrder } from "./dateOrder.js";
export type { ParsedHeader } from "./headerGrammar.js";
export { parseHeader } from "./headerGrammar.js";
export type { WhatsAppReaderOptions } from "./whatsappReader.js";
export { WhatsAppReader, whatsappReader } from "./whatsappReader.js";
