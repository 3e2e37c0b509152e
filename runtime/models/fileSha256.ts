import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/** Hex sha256 of a file, streamed (base models are several GB). */
export async function fileSha256(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { signal, highWaterMark: 1 << 20 })) hash.update(chunk);
  return hash.digest("hex");
}
