/**
 * Finds the indexable files under a documents folder: recursively, sorted by path, each with its sha256.
 * Hidden files and folders (a leading dot: .git, .obsidian) are not the person's documents and are passed
 * over quietly; a link that leads out of the folder, a file over the size limit or one that cannot be read is
 * left out with a reason, so the index report can say why a file is missing.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import type { DocumentScan, SourceDocument } from "@aiclone/plugin-sdk";
import { formatOf } from "./documentFormats.js";

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Files up to this size are hashed from one read (a stream costs more than the hashing of a small file). */
const WHOLE_READ_BYTES = 1024 * 1024;
/** Files hashed at once: a folder of thousands of notes is bound by opening files, not by hashing. */
const HASH_CONCURRENCY = 16;

export async function fileSha256(path: string, size?: number): Promise<string> {
  const hash = createHash("sha256");
  if (size !== undefined && size <= WHOLE_READ_BYTES) hash.update(await readFile(path));
  else await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}

/** What a scan learnt of one file: the hash holds while the file's identity, size and times are the same. */
interface HashedFile {
  key: string;
  sha256: string;
}

/**
 * Hashes from the last scan, by real path: a file whose inode, size, mtime and ctime (nanoseconds) are unchanged
 * is not read again (git's index decides the same way), so a re-scan of thousands of notes after one edit reads
 * one file. Kept per reader, in memory: the first scan after a start hashes everything.
 */
export type HashCache = Map<string, HashedFile>;

async function cachedSha256(realFile: string, cache: HashCache | undefined, seen: HashCache) {
  const info = await stat(realFile, { bigint: true });
  const size = Number(info.size);
  const key = `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
  const known = cache?.get(realFile);
  const sha256 = known?.key === key ? known.sha256 : undefined;
  return { size, key, sha256, store: (hash: string) => seen.set(realFile, { key, sha256: hash }) };
}

export const isInside = (root: string, path: string) => path === root || path.startsWith(root + sep);

const errorText = (error: unknown) =>
  error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);

/** The real path of the documents folder; an error naming it when it is missing or not a folder. */
export async function documentsRoot(folder: string): Promise<string> {
  let root: string;
  try {
    root = await realpath(resolve(folder));
  } catch (error) {
    throw new Error(`documents folder ${folder} cannot be opened: ${errorText(error)}`);
  }
  if (!(await stat(root)).isDirectory()) throw new Error(`documents folder ${folder} is not a folder`);
  return root;
}

/** `cache` (optional) is read for hashes of unchanged files and left holding this scan's files. */
export async function scanDocuments(
  folder: string,
  maxFileBytes = DEFAULT_MAX_FILE_BYTES,
  cache?: HashCache,
): Promise<DocumentScan> {
  const root = await documentsRoot(folder);
  const documents: SourceDocument[] = [];
  const skipped: DocumentScan["skipped"] = [];
  // Real paths of the folders walked, so a link back to a parent cannot loop.
  const visited = new Set<string>([root]);

  const seen: HashCache = new Map();
  const addFile = async (path: string, realFile: string) => {
    try {
      const file = await cachedSha256(realFile, cache, seen);
      const { size } = file;
      if (size > maxFileBytes) {
        skipped.push({ path, reason: `${size} bytes, over the ${maxFileBytes}-byte limit` });
        return;
      }
      const sha256 = file.sha256 ?? (await fileSha256(realFile, size));
      file.store(sha256);
      documents.push({ path, sha256, size });
    } catch (error) {
      skipped.push({ path, reason: `unreadable: ${errorText(error)}` });
    }
  };

  // Found by the walk, hashed afterwards several at a time.
  const found: { path: string; realFile: string }[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const full = join(dir, entry.name);
      const path = relative(root, full).split(sep).join("/");
      if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(full);
        } catch (error) {
          skipped.push({ path, reason: `a broken link: ${errorText(error)}` });
          continue;
        }
        if (!isInside(root, target)) {
          skipped.push({ path, reason: "a link to a place outside the documents folder" });
          continue;
        }
        const targetStat = await stat(target);
        if (targetStat.isDirectory()) {
          if (!visited.has(target)) {
            visited.add(target);
            await walk(full);
          }
        } else if (targetStat.isFile() && formatOf(entry.name)) found.push({ path, realFile: target });
      } else if (entry.isDirectory()) {
        visited.add(full);
        await walk(full);
      } else if (entry.isFile() && formatOf(entry.name)) found.push({ path, realFile: full });
    }
  };

  await walk(root);
  let next = 0;
  const worker = async () => {
    while (next < found.length) {
      const file = found[next++] as (typeof found)[number];
      await addFile(file.path, file.realFile);
    }
  };
  await Promise.all(Array.from({ length: HASH_CONCURRENCY }, worker));
  if (cache) {
    cache.clear();
    for (const [realFile, hashed] of seen) cache.set(realFile, hashed);
  }
  const byPath = (a: { path: string }, b: { path: string }) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  return { documents: documents.sort(byPath), skipped: skipped.sort(byPath) };
}
