import { Transform, type TransformCallback } from "node:stream";
import { ExportReadError } from "../model/conversation.js";
import type { ArchiveLimits } from "./archiveLimits.js";

export interface GuardedEntry {
  label: string;
  declaredSize: number;
  compressedSize: number;
}

/**
 * Counts the bytes an entry actually inflates to and stops the stream the moment they pass its declared size
 * or the ratio limit: a crafted entry can claim 1 KB and inflate to gigabytes, and headers alone would let it.
 */
export class InflateGuard extends Transform {
  private inflated = 0;

  constructor(
    private readonly entry: GuardedEntry,
    private readonly limits: ArchiveLimits,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.inflated += chunk.length;
    const { declaredSize, compressedSize, label } = this.entry;
    if (this.inflated > declaredSize) {
      callback(
        new ExportReadError(
          label,
          `byte ${this.inflated}`,
          `entry inflates past its declared size of ${declaredSize} bytes (corrupt or crafted archive)`,
        ),
      );
      return;
    }
    const { ratioMinBytes, maxRatio } = this.limits;
    if (this.inflated > ratioMinBytes && this.inflated > maxRatio * Math.max(compressedSize, 1)) {
      callback(
        new ExportReadError(
          label,
          `byte ${this.inflated}`,
          `entry inflates past the compression ratio limit of ${maxRatio}:1 (possible zip bomb)`,
        ),
      );
      return;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.inflated < this.entry.declaredSize) {
      callback(
        new ExportReadError(
          this.entry.label,
          `byte ${this.inflated}`,
          `entry is shorter than its declared size of ${this.entry.declaredSize} bytes (truncated archive)`,
        ),
      );
      return;
    }
    callback();
  }
}
