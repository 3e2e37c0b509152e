/**
 * Where a local artifact store keeps things under its root directory:
 *
 *   <root>/.tmp/                       bodies and records being written; never part of a listing
 *   <root>/objects/<dirs>/<name>~meta.json   the record (ArtifactInfo + blob file name): its atomic
 *                                      rename into place is what makes an artifact exist
 *   <root>/objects/<dirs>/<name>~<uuid>.blob the content, a new file for every put
 *
 * `~` cannot occur in a key, so no key can collide with a record, a blob or the temp directory, and a
 * key may be both an artifact and a prefix of others (`a` and `a/b`), as on S3. A fresh blob per put
 * means an overwrite switches record and content in one rename: a reader never pairs the new record
 * with old bytes, and one that already opened the old blob keeps reading it.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";

export const TMP_DIR = ".tmp";
export const OBJECTS_DIR = "objects";
const RECORD_SUFFIX = "~meta.json";

export interface ArtifactLocation {
  /** Directory holding the record and blob. */
  dir: string;
  /** Last key segment. */
  name: string;
  record: string;
}

export function locate(objectsRoot: string, key: string): ArtifactLocation {
  const segments = key.split("/");
  const name = segments.pop() ?? "";
  const dir = join(objectsRoot, ...segments);
  return { dir, name, record: join(dir, `${name}${RECORD_SUFFIX}`) };
}

export function newBlobName(name: string): string {
  return `${name}~${randomUUID()}.blob`;
}

/** The last key segment a directory entry is the record of, or null for blobs and foreign files. */
export function nameOfRecord(entry: string): string | null {
  if (!entry.endsWith(RECORD_SUFFIX)) return null;
  const name = entry.slice(0, -RECORD_SUFFIX.length);
  return name.length > 0 && !name.includes("~") ? name : null;
}

/** Whether a directory entry can be a key segment (as opposed to a record, a blob or foreign). */
export function isKeyDirectory(entry: string): boolean {
  return !entry.includes("~");
}
