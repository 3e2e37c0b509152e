import { pino } from "pino";

export type Logger = pino.Logger;

/** JSON logs on stderr, so stdout carries only what a person should read (the URL, the first API key). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "aiclone" } }, pino.destination(2));
}
