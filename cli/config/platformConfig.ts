import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65_535);
const bytes = z.coerce.number().int().positive();
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);
/** A list, or (from an environment variable) a comma-separated string. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) =>
      typeof value === "string"
        ? value
            .split(",")
            .map((part) => part.trim())
            .filter(Boolean)
        : value,
    z.array(item).min(1),
  );

export const platformRoles = ["api", "relay", "projections", "pipeline", "training", "preview"] as const;
export type PlatformRole = (typeof platformRoles)[number];

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
        /** Refused above these, with a code naming the limit (api/limits). */
        limits: z
          .object({
            maxDepth: z.coerce.number().int().min(2).default(12),
            maxCost: z.coerce.number().int().min(10).default(20_000),
            maxAliases: z.coerce.number().int().min(0).default(20),
            maxDirectives: z.coerce.number().int().min(0).default(20),
            maxTokens: z.coerce.number().int().min(100).default(5_000),
            requestsPerMinute: z.coerce.number().int().min(1).default(600),
            uploadsPerHour: z.coerce.number().int().min(1).default(60),
            /** WebSockets open at once without a valid API key (all addresses together); more are closed with 4429. */
            anonymousWebSockets: z.coerce.number().int().min(0).default(100),
            /** Raw exports an owner may keep stored, all clones together. */
            ownerUploadBytes: bytes.default(50 * 1024 ** 3),
          })
          .strict()
          .prefault({}),
        /**
         * A mutation with an idempotency key renews its "in progress" mark this often (a third of it); a mark
         * left by a process that died is taken over by a retry once it is this old.
         */
        idempotencyLeaseMs: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
        /** How users reach the platform (install commands, download links); default: the address it listens on. */
        publicUrl: z.url({ protocol: /^https?$/ }).optional(),
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
    /** What this process runs; several processes with different roles share the distributed engines. */
    roles: list(z.enum(platformRoles)).default([...platformRoles]),
    bus: z
      .discriminatedUnion("kind", [
        z.object({ kind: z.literal("in-process") }).strict(),
        z
          .object({
            kind: z.literal("kafka"),
            brokers: list(z.string().regex(/^[^\s:]+:\d+$/, "expected host:port")),
            clientId: z.string().min(1).default("aiclone"),
            topicPrefix: z.string().default(""),
            partitions: z.coerce.number().int().min(1).max(1000).default(6),
          })
          .strict(),
      ])
      .prefault({ kind: "in-process" }),
    documentStore: z
      .discriminatedUnion("kind", [
        z.object({ kind: z.literal("sqlite"), path: z.string().min(1).optional() }).strict(),
        z
          .object({
            kind: z.literal("mongodb"),
            url: z.string().regex(/^mongodb(\+srv)?:\/\//, "expected a mongodb:// URL"),
            database: z.string().min(1).default("aiclone"),
          })
          .strict(),
      ])
      .prefault({ kind: "sqlite" }),
    artifacts: z
      .discriminatedUnion("kind", [
        z.object({ kind: z.literal("local"), dir: z.string().min(1).optional() }).strict(),
        z
          .object({
            kind: z.literal("s3"),
            bucket: z.string().min(3),
            region: z.string().min(1).default("us-east-1"),
            /** Omitted: AWS itself. Set for an S3-compatible server. */
            endpoint: z.url().optional(),
            /** Omitted: the AWS SDK's default credential chain. */
            accessKeyId: z.string().min(1).optional(),
            secretAccessKey: z.string().min(1).optional(),
            forcePathStyle: flag.default(false),
            /** Put before every key so several platforms can share a bucket; empty or ending in `/`. */
            prefix: z.string().default(""),
            /** For servers that keep objects as files (versitygw posix), where `a` and `a/b` clash. */
            suffixObjectKeys: flag.default(false),
          })
          .strict(),
      ])
      .prefault({ kind: "local" }),
    pipeline: z
      .object({
        /**
         * A local Whisper model folder (Hugging Face layout, ONNX weights; multilingual for Russian and
         * English): voice notes in uploads are transcribed. None is bundled; without it they are counted
         * as `voiceNotTranscribed` in the dataset report.
         */
        speechModel: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    training: z
      .object({
        defaultBaseModel: z.string().min(1).default("qwen2.5-7b-instruct"),
        /**
         * `local`: the process with the `training` role also runs a trainer worker (a subprocess per job);
         * `remote`: jobs wait for GPU machines running `aiclone trainer worker` on the same bus.
         */
        backend: z.enum(["local", "remote"]).default("local"),
        /** A worker silent for this long loses its job, which resumes on another from its last checkpoint. */
        leaseMs: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
        heartbeatMs: z.coerce.number().int().min(50).max(600_000).default(5_000),
        /** Workers a job may lose before it fails. */
        maxAttempts: z.coerce.number().int().min(1).max(100).default(3),
        /** Checkpoint (and upload) every N optimizer steps unless a job says otherwise. */
        checkpointEvery: z.coerce.number().int().min(0).default(25),
        /**
         * The preference objective on the owner's corrections (the dataset's preferences.jsonl) unless a job's
         * hyperparameters say otherwise (`preference`, `preferenceMinPairs`, `preferenceBeta`): DPO or ORPO added
         * to the LoRA run when there are at least `minPairs` pairs; docs/training.md.
         */
        preference: z
          .object({
            objective: z.enum(["dpo", "orpo", "off"]).default("off"),
            minPairs: z.coerce.number().int().min(1).max(1_000_000).default(8),
            beta: z.coerce.number().min(1e-4).max(100).optional(),
          })
          .prefault({}),
        /** The Python that runs the trainer; default: the project's own venv (installed on first use). */
        python: z.string().min(1).optional(),
        /**
         * Where that venv lives (default `.cache/trainer-venv`) and which extras it installs (default `test`;
         * `gpu,test` adds bitsandbytes on CUDA workers). scripts/ensureTrainerEnv.mjs reads the same
         * variables, AICLONE_TRAINING__VENV and AICLONE_TRAINING__EXTRAS: one name for both.
         */
        venv: z.string().min(1).optional(),
        extras: z
          .string()
          .regex(/^[a-z0-9_-]+(,[a-z0-9_-]+)*$/, "expected extras like gpu,test")
          .optional(),
        /** The trainer script; default: trainer/train_qlora.py of this checkout. */
        script: z.string().min(1).optional(),
      })
      .strict()
      .superRefine((training, context) => {
        if (training.heartbeatMs * 2 > training.leaseMs)
          context.addIssue({
            code: "custom",
            path: ["heartbeatMs"],
            message: `must be at most half of training.leaseMs (${training.leaseMs}), or workers lose their leases between beats`,
          });
      })
      .prefault({}),
    /** Dataset builds (docs/corrections.md). */
    dataset: z
      .object({
        /** The loss weight of the owner's corrections in a dataset when the request names none (0 < w ≤ 10). */
        correctionWeight: z.coerce.number().positive().max(10).default(2),
      })
      .strict()
      .prefault({}),
    /**
     * Preview chat (docs/preview.md): the `preview` role answers as a trained adapter version would, through
     * the runtime's engine; the API process enforces the per-owner limits.
     */
    preview: z
      .object({
        /** Adapter versions kept loaded at once, each in its own context over its base model (loaded once). */
        maxLoadedAdapters: z.coerce.number().int().min(1).max(256).default(4),
        /** The loaded files together (base models + adapters), in MiB; past it the least recently used idle adapter goes. */
        memoryMiB: z.coerce.number().int().min(1).default(16_384),
        /** An adapter unused this long is unloaded, and a base model once none of its adapters is left. */
        idleUnloadSeconds: z.coerce.number().min(1).default(600),
        /** Tokens per conversation (prompt + reply); the bundle's default, so replies are cut as an installed clone's. */
        contextSize: z.coerce.number().int().min(128).max(1_048_576).default(4096),
        /**
         * Conversations one loaded adapter generates at the same time; the runtime's default (2), since the
         * context's layout can flip a near-tie and the reply would differ from the installed clone's.
         */
        sequences: z.coerce.number().int().min(1).max(64).default(2),
        /** CPU threads per context; default: the cores that do the math. */
        threads: z.coerce.number().int().min(1).optional(),
        /** Run on the CPU even when a GPU is present. */
        cpu: flag.default(false),
        /** A reply no preview process has started within this many seconds fails (no `preview` role running?). */
        startTimeoutSeconds: z.coerce.number().min(1).max(3600).default(60),
        /** How long the API keeps an ended reply's pieces for a subscriber that comes late. */
        keepEndedSeconds: z.coerce.number().min(1).max(86_400).default(300),
        limits: z
          .object({
            /** Replies of one owner generating at the same time. */
            concurrentReplies: z.coerce.number().int().min(1).default(2),
            /** Replies one owner may start within any 60 seconds. */
            repliesPerMinute: z.coerce.number().int().min(1).default(20),
            /** Messages in one conversation sent for a reply. */
            maxMessages: z.coerce.number().int().min(1).max(1000).default(40),
            /** Characters in one message. */
            maxMessageChars: z.coerce.number().int().min(1).default(4000),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /**
     * Where the runtime downloads each base model from and its sha256, over the registry's own values (a
     * mirror, or a model whose checksum the registry does not record yet): `{"<name>": {"url", "sha256"}}`.
     */
    baseModels: z
      .record(
        z.string(),
        z
          .object({
            url: z.url({ protocol: /^https?$/ }).optional(),
            sha256: z
              .string()
              .regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex characters")
              .optional(),
          })
          .strict(),
      )
      .default({}),
    /**
     * Encryption at rest (cli/platform/dataProtection.ts): every clone's personal data is encrypted under its
     * own data key, and the data keys under this master key. Without masterKey and masterKeyFile, embedded
     * defaults keep one in `<dataDir>/master.key`, made on first start; every process of one platform needs
     * the same key.
     */
    security: z
      .object({
        /** base64 of 32 random bytes (`aiclone security new-master-key` prints one). */
        masterKey: z.string().min(1).optional(),
        /** A file holding that base64 text (e.g. a mounted secret). */
        masterKeyFile: z.string().min(1).optional(),
        /** Master keys the data keys may still be wrapped with, during a rotation. */
        previousMasterKeys: list(z.string().min(1)).optional(),
        /**
         * The Ed25519 key that signs what the one-command install downloads (PKCS#8 PEM text, or a file
         * holding it); without either, embedded defaults keep one in `<dataDir>/signing.key`.
         */
        signingKey: z.string().min(1).optional(),
        signingKeyFile: z.string().min(1).optional(),
        /** How long a process keeps an unwrapped data key; bounds how late it notices a deletion. */
        keyCacheSeconds: z.coerce.number().min(0).default(30),
      })
      .strict()
      .prefault({}),
    /** The orphan sweep (api/services/artifactSweeper.ts), run by the process with the `relay` role. */
    maintenance: z
      .object({
        sweepIntervalMinutes: z.coerce.number().min(0).default(60),
        sweepMinAgeMinutes: z.coerce.number().min(0).default(60),
      })
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
