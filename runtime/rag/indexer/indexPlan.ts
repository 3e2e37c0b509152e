/** What an index run must do: compares the folder's files with the manifest of what the index holds. */
import type { IndexedFile, SourceDocument } from "@aiclone/plugin-sdk";

export interface IndexPlan {
  /** New files and files whose content hash changed. */
  toIndex: SourceDocument[];
  unchanged: SourceDocument[];
  /** Paths indexed before that are no longer in the folder. */
  removed: string[];
}

export function planIndex(documents: SourceDocument[], indexed: Record<string, IndexedFile>): IndexPlan {
  const present = new Set(documents.map((d) => d.path));
  return {
    toIndex: documents.filter((d) => indexed[d.path]?.sha256 !== d.sha256),
    unchanged: documents.filter((d) => indexed[d.path]?.sha256 === d.sha256),
    removed: Object.keys(indexed)
      .filter((path) => !present.has(path))
      .sort(),
  };
}
