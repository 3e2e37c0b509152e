import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65_535);
const bytes = z.coerce.number().int().positive();

/** Every adapter and limit of the platform; file + environment are merged and validated against this. */
export const platformConfigSchema = z
  .object({
    /** Where embedded engines keep their files; relative paths are resolved against the working directory. */
    dataDir: z.string().min(1).default(".aiclone"),
    api: z
      .object({
        host: z.string().min(1).default("127.0.0.1"),
        port: port.default(4000),
        uploadMaxBytes: bytes.default(2 * 1024 ** 3),
        requestMaxBytes: bytes.default(1024 ** 2),
      })
      .strict()
      .prefault({}),
    eventStore: z
      .discriminatedUnion("kind", [
        z.object({ kind: z.literal("sqlite"), path: z.string().min(1).optional() }).strict(),
        z
          .object({
            kind: z.literal("eventstoredb"),
            url: z.string().regex(/^(esdb|kurrentdb)(\+discover)?:\/\//),
          })
          .strict(),
      ])
      .prefault({ kind: "sqlite" }),
    bus: z
      .discriminatedUnion("kind", [z.object({ kind: z.literal("in-process") }).strict()])
      .prefault({ kind: "in-process" }),
    documentStore: z
      .discriminatedUnion("kind", [
        z.object({ kind: z.literal("sqlite"), path: z.string().min(1).optional() }).strict(),
      ])
      .prefault({ kind: "sqlite" }),
    artifacts: z
      .discriminatedUnion("kind", [
        z.object({ kind: z.literal("local"), dir: z.string().min(1).optional() }).strict(),
      ])
      .prefault({ kind: "local" }),
    training: z
      .object({ defaultBaseModel: z.string().min(1).default("qwen2.5-7b-instruct") })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type PlatformConfig = z.infer<typeof platformConfigSchema>;
