import { pino } from "pino";

export type Logger = pino.Logger;

/** JSON logs on stderr, so stdout carries only what a person should read (the URL, the first API key). */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: "aiclone" },
      // Belt and braces: no code logs these, and if some did, the log still would not hold them.
      redact: {
        paths: [
          "*.masterKey",
          "*.previousMasterKeys",
          "*.secretAccessKey",
          "*.token",
          "*.password",
          "*.authorization",
        ],
        censor: "[redacted]",
      },
    },
    pino.destination(2),
  );
}
