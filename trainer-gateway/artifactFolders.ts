import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import type { ArtifactStore } from "../infra/blobstore/artifactStore.js";

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

/** Uploads every file under `dir` to `<prefix><relative path>`; returns the keys written. */
export async function uploadFolder(
  artifacts: ArtifactStore,
  dir: string,
  prefix: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const keys: string[] = [];
  for await (const path of filesUnder(dir)) {
    const key = prefix + relative(dir, path).split(sep).join("/");
    await artifacts.put(key, createReadStream(path), signal ? { signal } : {});
    keys.push(key);
  }
  return keys;
}

/** Downloads every artifact under `prefix` into `dir`, keeping the relative layout; returns the file count. */
export async function downloadPrefix(artifacts: ArtifactStore, prefix: string, dir: string): Promise<number> {
  let count = 0;
  for await (const info of artifacts.list(prefix)) {
    const rel = info.key.slice(prefix.length);
    if (!rel || rel.split("/").some((part) => part === ".." || part === "")) continue;
    const path = join(dir, ...rel.split("/"));
    await mkdir(dirname(path), { recursive: true });
    // Written beside and renamed, so an interrupted download never looks like a whole file.
    const partial = `${path}.part`;
    await pipeline(await artifacts.get(info.key), createWriteStream(partial));
    await rename(partial, path);
    count++;
  }
  return count;
}
