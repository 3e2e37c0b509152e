import { z } from "zod";
import { isLoopbackHost } from "./loopbackHost.js";

/** Config of the web channel (the `config` of its entry in clone.json). */
export const webConfigSchema = z
  .object({
    /** Listen address; anything but loopback requires a token. */
    host: z.string().min(1).default("127.0.0.1"),
    port: z.number().int().min(0).max(65535).default(3000),
    /** Bearer token required on /api and /v1 when set; mandatory beyond loopback. */
    token: z
      .string()
      .min(16, "token must be at least 16 characters")
      // HTTP headers carry bytes: a Cyrillic token could never be sent by a client.
      .regex(/^[\x21-\x7E]+$/, "token must be printable ASCII without spaces")
      .optional(),
    /** How the clone calls the person using the web chat. */
    partnerName: z.string().min(1).max(100).default("Owner"),
    /** Largest accepted request body, bytes. */
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    /**
     * Streamed replies send text at most once per this many milliseconds (the first text at once): a frame
     * per token costs the server and the client more than the model's token on a fast model. 0: a frame
     * per token.
     */
    streamIntervalMs: z.number().int().min(0).max(1000).default(50),
  })
  .superRefine((config, issues) => {
    if (!isLoopbackHost(config.host) && config.token === undefined) {
      issues.addIssue({
        code: "custom",
        path: ["token"],
        message: `a token is required when host '${config.host}' is not a loopback address`,
      });
    }
  });

export type WebConfig = z.infer<typeof webConfigSchema>;
