import type { CloneKeys } from "../../api/services/artifactSweeper.js";
import type { ReadModels } from "../../projections/readModels.js";
import type { PlatformConfig } from "../config/platformConfig.js";
import type { Adapters } from "./adapters.js";
import type { Logger } from "./logger.js";

/** What is stopped when the platform stops, stopped in the reverse order of starting. */
export class StopList {
  private readonly stops: (() => Promise<void>)[] = [];

  push(stop: () => Promise<void>): void {
    this.stops.push(stop);
  }

  /** Runs every stop once, last started first; a second call finds nothing left to stop. */
  async stopAll(): Promise<void> {
    for (const stop of this.stops.reverse().splice(0)) await stop();
  }
}

/** What every role's start step is given: the configuration, the opened stores and the stop list. */
export interface PlatformParts {
  config: PlatformConfig;
  logger: Logger;
  adapters: Adapters;
  models: ReadModels;
  cloneKeys: CloneKeys;
  stops: StopList;
}
