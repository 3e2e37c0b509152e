/** The small JSON file that describes a local artifact and names the blob holding its bytes. */
import { open, readFile } from "node:fs/promises";
import type { ArtifactInfo } from "./artifactStore.js";

export interface ArtifactRecord extends ArtifactInfo {
  /** File name of the content, in the record's own directory. */
  blob: string;
}

function isErrnoException(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

export function isNotFound(error: unknown): boolean {
  return isErrnoException(error, "ENOENT") || isErrnoException(error, "ENOTDIR");
}

function parseRecord(text: string, path: string): ArtifactRecord {
  const value: unknown = JSON.parse(text);
  const record = value as Partial<ArtifactRecord> | null;
  const valid =
    typeof record === "object" &&
    record !== null &&
    typeof record.key === "string" &&
    typeof record.size === "number" &&
    typeof record.sha256 === "string" &&
    typeof record.createdAt === "string" &&
    typeof record.blob === "string" &&
    !record.blob.includes("/") &&
    (record.contentType === undefined || typeof record.contentType === "string");
  if (!valid) throw new Error(`artifact record ${path} is malformed`);
  return record as ArtifactRecord;
}

/** The record at `path`, or null when there is none (the artifact does not exist). */
export async function readRecord(path: string): Promise<ArtifactRecord | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
  return parseRecord(text, path);
}

/** Writes and fsyncs a record to a temp path; it becomes visible only when renamed into place. */
export async function writeRecord(path: string, record: ArtifactRecord): Promise<void> {
  const handle = await open(path, "wx");
  try {
    await handle.writeFile(JSON.stringify(record), "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function toInfo(record: ArtifactRecord): ArtifactInfo {
  const info: ArtifactInfo = {
    key: record.key,
    size: record.size,
    sha256: record.sha256,
    createdAt: record.createdAt,
  };
  if (record.contentType !== undefined) info.contentType = record.contentType;
  return info;
}
