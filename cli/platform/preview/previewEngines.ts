/**
 * The preview role's loaded models: each base model loaded once, each adapter version in an engine of its
 * own over that shared base (the runtime's LlamaEngine: the adapter's prompt contract, the bundle's
 * generation defaults), least recently used first out when the count or the memory cap is reached, and
 * unloaded when idle (a base model once no adapter of it is left).
 */
import { stat } from "node:fs/promises";
import { DEFAULT_GENERATION } from "aiclone-runtime/bundle";
import {
  type EngineOptions,
  EngineStartError,
  LlamaEngine,
  type PromptContract,
  readPromptContract,
} from "aiclone-runtime/engine";
import { getLlama, type Llama, LlamaLogLevel, type LlamaModel } from "node-llama-cpp";

export interface PreviewEnginesOptions {
  maxLoadedAdapters: number;
  /** The loaded files together (base models + adapters). */
  memoryBytes: number;
  idleUnloadMs: number;
  contextSize: number;
  sequences: number;
  threads?: number;
  gpu: "auto" | false;
  /** Bindings to share (tests); otherwise loaded on first use and disposed at close. */
  llama?: Llama;
  /** Called once an adapter is unloaded (its local copy may go). */
  onUnload?: (adapterPath: string) => void | Promise<void>;
}

/** The preview cannot take another adapter now: every loaded one is answering. */
export class PreviewBusyError extends Error {
  override readonly name = "PreviewBusyError";
}

export interface BaseModelFile {
  path: string;
  /** The registry's sha256 of the file, when it has one: an adapter trained on another base is refused. */
  sha256: string | null;
}

interface BaseEntry {
  path: string;
  bytes: number;
  model: Promise<LlamaModel>;
}

interface AdapterEntry {
  adapterPath: string;
  base: BaseEntry;
  bytes: number;
  loaded: Promise<{ engine: LlamaEngine; contract: PromptContract | null }>;
  users: number;
  lastUsed: number;
}

export interface EngineLease {
  engine: LlamaEngine;
  contract: PromptContract | null;
  release(): void;
}

export class PreviewEngines {
  private readonly bases = new Map<string, BaseEntry>();
  private readonly adapters = new Map<string, AdapterEntry>();
  private llamaLoad: Promise<Llama> | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly options: PreviewEnginesOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.timer = setInterval(
      () => void this.unloadIdle(),
      Math.min(30_000, Math.max(50, options.idleUnloadMs / 2)),
    );
    this.timer.unref();
  }

  /** Loaded adapters and base models, and the bytes they hold (for logs and tests). */
  get loaded(): { adapters: number; bases: number; bytes: number } {
    return { adapters: this.adapters.size, bases: this.bases.size, bytes: this.usedBytes() };
  }

  /** The engine of `adapterPath` over `base`, loading what is missing; release it when the reply ended. */
  async lease(base: BaseModelFile, adapterPath: string): Promise<EngineLease> {
    let entry = this.adapters.get(adapterPath);
    if (!entry) entry = await this.load(base, adapterPath);
    entry.users++;
    entry.lastUsed = this.now();
    const held = entry;
    try {
      const { engine, contract } = await held.loaded;
      let released = false;
      return {
        engine,
        contract,
        release: () => {
          if (released) return;
          released = true;
          held.users--;
          held.lastUsed = this.now();
        },
      };
    } catch (error) {
      held.users--;
      throw error;
    }
  }

  private async load(base: BaseModelFile, adapterPath: string): Promise<AdapterEntry> {
    const adapterBytes = (await stat(adapterPath)).size;
    const baseEntry = this.bases.get(base.path);
    const baseBytes = baseEntry ? 0 : (await stat(base.path)).size;
    // A concurrent lease may have loaded it while the sizes were read.
    const existing = this.adapters.get(adapterPath);
    if (existing) return existing;
    await this.makeRoom(adapterBytes + baseBytes);
    const shared = this.bases.get(base.path) ?? this.loadBase(base.path, baseBytes);
    const entry: AdapterEntry = {
      adapterPath,
      base: shared,
      bytes: adapterBytes,
      loaded: this.loadEngine(base, shared, adapterPath),
      users: 0,
      lastUsed: this.now(),
    };
    this.adapters.set(adapterPath, entry);
    entry.loaded.catch(() => void this.unload(entry));
    return entry;
  }

  private loadBase(path: string, bytes: number): BaseEntry {
    const entry: BaseEntry = {
      path,
      bytes,
      model: this.llama().then((llama) => llama.loadModel({ modelPath: path })),
    };
    this.bases.set(path, entry);
    entry.model.catch(() => this.bases.delete(path));
    return entry;
  }

  private async loadEngine(base: BaseModelFile, shared: BaseEntry, adapterPath: string) {
    const contract = await readPromptContract(adapterPath);
    if (contract?.baseSha256 && base.sha256 && contract.baseSha256 !== base.sha256)
      throw new EngineStartError(
        `the adapter was trained on the base model with sha256 ${contract.baseSha256}, not on ${base.path} ` +
          `(sha256 ${base.sha256}): it would not sound like its owner`,
      );
    const llama = await this.llama();
    // `model` shares the base loaded once (aiclone-runtime ≥ the engine's options.model).
    const options: EngineOptions & { model?: LlamaModel } = {
      modelPath: shared.path,
      model: await shared.model,
      adapterPath,
      llama,
      promptContract: contract,
      gpu: this.options.gpu,
      contextSize: this.options.contextSize,
      sequences: this.options.sequences,
      ...(this.options.threads ? { threads: this.options.threads } : {}),
      // The bundle's defaults: what an installed clone generates with (docs/sampling.md).
      defaults: DEFAULT_GENERATION,
    };
    const engine = await LlamaEngine.load(options);
    return { engine, contract };
  }

  private llama(): Promise<Llama> {
    if (this.options.llama) return Promise.resolve(this.options.llama);
    this.llamaLoad ??= getLlama({ gpu: this.options.gpu, logLevel: LlamaLogLevel.warn });
    return this.llamaLoad;
  }

  private usedBytes(): number {
    let bytes = 0;
    for (const base of this.bases.values()) bytes += base.bytes;
    for (const adapter of this.adapters.values()) bytes += adapter.bytes;
    return bytes;
  }

  /** Unloads idle adapters, least recently used first, until one more (of `bytes`) fits. */
  private async makeRoom(bytes: number): Promise<void> {
    const fits = () =>
      this.adapters.size < this.options.maxLoadedAdapters &&
      (this.adapters.size === 0 || this.usedBytes() + bytes <= this.options.memoryBytes);
    while (!fits()) {
      const idle = [...this.adapters.values()]
        .filter((a) => a.users === 0)
        .sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (!idle)
        throw new PreviewBusyError(
          `the preview is busy: its ${this.adapters.size} loaded adapter(s) are all answering; try again shortly`,
        );
      await this.unload(idle);
    }
  }

  private async unload(entry: AdapterEntry): Promise<void> {
    if (this.adapters.get(entry.adapterPath) !== entry) return;
    this.adapters.delete(entry.adapterPath);
    await entry.loaded.then(({ engine }) => engine.close()).catch(() => {});
    await Promise.resolve(this.options.onUnload?.(entry.adapterPath)).catch(() => {});
    if (![...this.adapters.values()].some((a) => a.base === entry.base)) {
      this.bases.delete(entry.base.path);
      await entry.base.model.then((model) => model.dispose()).catch(() => {});
    }
  }

  /** Unloads the adapters unused for idleUnloadMs (and the base models left without one). */
  async unloadIdle(): Promise<void> {
    const before = this.now() - this.options.idleUnloadMs;
    for (const entry of [...this.adapters.values()])
      if (entry.users === 0 && entry.lastUsed <= before) await this.unload(entry);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const entry of [...this.adapters.values()]) await this.unload(entry);
    if (this.llamaLoad) await (await this.llamaLoad).dispose();
  }
}
