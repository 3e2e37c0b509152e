/**
 * The trainer's hyperparameters as a job carries them (`requestTraining(hyperparameters: {...})`), each
 * with its type and the train_qlora.py flag it becomes. Defaults are the trainer's own (trainer/README.md).
 */
type Kind = "int" | "number" | "boolean" | "choice";

interface Hyperparameter {
  kind: Kind;
  flag: string;
  min?: number;
  max?: number;
  /** The values a `choice` takes. */
  choices?: readonly string[];
}

export const hyperparameters: Readonly<Record<string, Hyperparameter>> = {
  epochs: { kind: "number", flag: "--epochs", min: 0.01, max: 100 },
  maxSteps: { kind: "int", flag: "--max-steps", min: 1, max: 10_000_000 },
  rank: { kind: "int", flag: "--rank", min: 1, max: 1024 },
  alpha: { kind: "number", flag: "--alpha", min: 0.01, max: 4096 },
  learningRate: { kind: "number", flag: "--lr", min: 1e-8, max: 1 },
  batchSize: { kind: "int", flag: "--batch-size", min: 1, max: 4096 },
  gradAccum: { kind: "int", flag: "--grad-accum", min: 1, max: 4096 },
  dropout: { kind: "number", flag: "--dropout", min: 0, max: 0.9 },
  cutoff: { kind: "int", flag: "--cutoff", min: 16, max: 131_072 },
  checkpointEvery: { kind: "int", flag: "--checkpoint-every", min: 0, max: 10_000_000 },
  seed: { kind: "int", flag: "--seed", min: 0, max: 2 ** 31 - 1 },
  evalPrompts: { kind: "int", flag: "--eval-prompts", min: 0, max: 1000 },
  evalNewTokens: { kind: "int", flag: "--eval-new-tokens", min: 1, max: 4096 },
  cpu: { kind: "boolean", flag: "--cpu" },
  /** The preference objective on the dataset's preferences.jsonl (the owner's corrections); trainer/README.md. */
  preference: { kind: "choice", flag: "--preference", choices: ["dpo", "orpo", "off"] },
  preferenceMinPairs: { kind: "int", flag: "--preference-min-pairs", min: 1, max: 1_000_000 },
  preferenceBeta: { kind: "number", flag: "--preference-beta", min: 1e-4, max: 100 },
};

export type HyperparameterValues = Record<string, string | number | boolean>;

/** The spec of a name the trainer knows; own properties only, so `constructor` or `__proto__` is unknown. */
const specOf = (name: string): Hyperparameter | undefined =>
  Object.hasOwn(hyperparameters, name) ? hyperparameters[name] : undefined;

/** The first problem with a set of hyperparameters, naming the field, or null when all are valid. */
export function checkHyperparameters(
  values: HyperparameterValues,
): { field: string; message: string } | null {
  for (const [name, raw] of Object.entries(values)) {
    const field = `hyperparameters.${name}`;
    const spec = specOf(name);
    if (!spec) return { field, message: `unknown; known are ${Object.keys(hyperparameters).join(", ")}` };
    if (spec.kind === "boolean") {
      if (typeof raw !== "boolean") return { field, message: "must be true or false" };
      continue;
    }
    if (spec.kind === "choice") {
      if (typeof raw !== "string" || !spec.choices?.includes(raw))
        return { field, message: `must be one of ${spec.choices?.join(", ")}` };
      continue;
    }
    const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
    if (typeof value !== "number" || !Number.isFinite(value)) return { field, message: "must be a number" };
    if (spec.kind === "int" && !Number.isInteger(value)) return { field, message: "must be an integer" };
    if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max))
      return { field, message: `must be between ${spec.min} and ${spec.max}` };
  }
  return null;
}

/** Trainer command-line flags for valid values (check them first). */
export function trainerFlags(values: HyperparameterValues): string[] {
  const flags: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const spec = specOf(name);
    if (!spec) throw new Error(`unknown hyperparameter ${name}`);
    if (spec.kind === "boolean") {
      if (value === true) flags.push(spec.flag);
    } else if (spec.kind === "choice") flags.push(spec.flag, String(value));
    else flags.push(spec.flag, String(Number(value)));
  }
  return flags;
}
