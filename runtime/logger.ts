import { pino } from "pino";

export type RuntimeLogger = pino.Logger;

/** JSON lines on stderr, so stdout stays for what a person reads (the chat, the URL). */
export function createRuntimeLogger(level = process.env.AICLONE_LOG_LEVEL ?? "info"): RuntimeLogger {
  return pino({ level, base: { service: "aiclone-runtime" } }, pino.destination(2));
}
