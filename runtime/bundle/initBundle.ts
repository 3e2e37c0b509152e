/**
 * `aiclone bundle init`: a runnable bundle from a GGUF (local file or URL) and an optional adapter, so
 * anyone can run their own model without the platform.
 */
import { randomUUID } from "node:crypto";
import { copyFile, mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { readPromptContract } from "../engine/promptContract.js";
import { fileSha256 } from "../models/fileSha256.js";
import {
  CLONE_BUNDLE_SCHEMA_VERSION,
  CLONE_MANIFEST_FILE,
  type CloneBundleInput,
  DEFAULT_GENERATION,
} from "./cloneBundleSchema.js";
import { BundleError, parseBundleManifest } from "./loadBundle.js";

export interface InitBundleOptions {
  /** A local GGUF path or an http(s) URL. */
  model: string;
  /** Required for a URL (the download is checked against it); computed for a local file when absent. */
  sha256?: string;
  /** A LoRA adapter GGUF, copied into the bundle as `adapter.gguf`. */
  adapter?: string;
  persona?: string;
  /** The persona's display name; defaults to "Clone". */
  name?: string;
  language?: string;
  out: string;
  /** Plugins to enable; defaults to the web chat alone. */
  plugins?: CloneBundleInput["plugins"];
  signal?: AbortSignal;
}

export const ADAPTER_FILE_NAME = "adapter.gguf";

const isUrl = (value: string) => /^https?:\/\//i.test(value);

/** Model name from the file name: `Qwen2.5-7B-Instruct-Q4_K_M.gguf` → `Qwen2.5-7B-Instruct-Q4_K_M`. */
function modelName(source: string): string {
  const file = isUrl(source)
    ? decodeURIComponent(new URL(source).pathname.split("/").pop() ?? "")
    : basename(source);
  const stem = file
    .replace(/\.gguf$/i, "")
    .replace(/[^\w.+-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return stem || "model";
}

async function assertFile(path: string, option: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new BundleError(`${option} ${path}: no such file`);
}

/** Writes the bundle and returns its folder; refuses a non-empty folder that is not already a bundle. */
export async function initBundle(options: InitBundleOptions): Promise<string> {
  const out = resolve(options.out);
  const existing = await readdir(out).catch(() => [] as string[]);
  if (existing.length > 0 && !existing.includes(CLONE_MANIFEST_FILE))
    throw new BundleError(`--out ${out}: the folder is not empty and holds no ${CLONE_MANIFEST_FILE}`);

  let baseModel: CloneBundleInput["baseModel"];
  if (isUrl(options.model)) {
    if (!options.sha256)
      throw new BundleError("--sha256: required with a model URL (the download is checked against it)");
    baseModel = { name: modelName(options.model), url: options.model, sha256: options.sha256 };
  } else {
    const path = resolve(options.model);
    await assertFile(path, "--model");
    const sha256 = await fileSha256(path, options.signal);
    if (options.sha256 && options.sha256.toLowerCase() !== sha256)
      throw new BundleError(`--sha256: ${path} has sha256 ${sha256}, not ${options.sha256}`);
    baseModel = { name: modelName(path), url: null, path, sha256 };
  }
  let trainedPrompt: string | null = null;
  if (options.adapter !== undefined) {
    await assertFile(resolve(options.adapter), "--adapter");
    const contract = await readPromptContract(resolve(options.adapter)).catch((error: Error) => {
      throw new BundleError(`--adapter ${options.adapter}: not a GGUF adapter (${error.message})`);
    });
    if (contract?.baseSha256 && contract.baseSha256 !== baseModel.sha256)
      throw new BundleError(
        `--adapter ${options.adapter}: trained on the base model with sha256 ${contract.baseSha256}, not on ` +
          `${baseModel.name} (${baseModel.sha256})`,
      );
    trainedPrompt = contract?.systemPrompt ?? null;
  }

  const displayName = options.name?.trim() || "Clone";
  const manifest: CloneBundleInput = {
    schemaVersion: CLONE_BUNDLE_SCHEMA_VERSION,
    clone: { id: `local-${randomUUID()}`, version: 1 },
    baseModel,
    ...(options.adapter !== undefined ? { adapter: ADAPTER_FILE_NAME } : {}),
    persona: {
      displayName,
      // The adapter was trained under its dataset's system prompt: the same words make it sound like its owner.
      systemPrompt:
        options.persona ?? trainedPrompt ?? `You are ${displayName}. Answer in your own voice, briefly.`,
      language: options.language ?? "en",
    },
    generation: { ...DEFAULT_GENERATION },
    plugins: options.plugins ?? [{ name: "web", enabled: true, config: {} }],
  };
  // Validate before writing anything: a bad --name or --language leaves no half-made bundle.
  parseBundleManifest(manifest);

  await mkdir(out, { recursive: true });
  if (options.adapter !== undefined) {
    const tmp = join(out, `.${ADAPTER_FILE_NAME}.${process.pid}.tmp`);
    await copyFile(resolve(options.adapter), tmp);
    await rename(tmp, join(out, ADAPTER_FILE_NAME));
  }
  const tmpManifest = join(out, `.${CLONE_MANIFEST_FILE}.${process.pid}.tmp`);
  try {
    await writeFile(tmpManifest, `${JSON.stringify(manifest, null, 2)}\n`, "utf8");
    await rename(tmpManifest, join(out, CLONE_MANIFEST_FILE));
  } catch (error) {
    await rm(tmpManifest, { force: true });
    throw error;
  }
  return out;
}
