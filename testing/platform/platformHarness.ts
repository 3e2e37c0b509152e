import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPlatformConfig } from "../../cli/config/loadConfig.js";
import type { PlatformConfig } from "../../cli/config/platformConfig.js";
import { createLogger } from "../../cli/platform/logger.js";
import { type RunningPlatform, startPlatform } from "../../cli/platform/startPlatform.js";

/** A real platform on embedded defaults in a temp data folder, on a free loopback port. */
export class PlatformHarness {
  platform!: RunningPlatform;
  config!: PlatformConfig;
  private constructor(
    readonly dataDir: string,
    private readonly env: Record<string, string>,
  ) {}

  /** `env` adds AICLONE_* settings, e.g. a small upload limit. */
  static async start(env: Record<string, string> = {}): Promise<PlatformHarness> {
    const harness = new PlatformHarness(await mkdtemp(join(tmpdir(), "aiclone-platform-")), env);
    await harness.restart();
    return harness;
  }

  /**
   * Starts (again) on the same data folder, as a person restarting `npm start` would; `env` adds settings
   * for this start (e.g. `AICLONE_API__PORT` to come back on the port an open page talks to).
   */
  async restart(env: Record<string, string> = {}): Promise<RunningPlatform> {
    const config = await loadPlatformConfig({
      env: {
        AICLONE_DATA_DIR: this.dataDir,
        AICLONE_API__PORT: "0",
        AICLONE_LOG__LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
        ...this.env,
        ...env,
      },
    });
    this.config = config;
    this.platform = await startPlatform(config, createLogger(config.log.level));
    return this.platform;
  }

  async stop(): Promise<void> {
    await this.platform.stop();
  }

  async destroy(): Promise<void> {
    await this.platform.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
