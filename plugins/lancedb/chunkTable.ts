/**
 * The LanceDB table of chunks: one row per chunk with its text, a search form of the text under a full-text
 * index and, when the runtime has an embedding model, its vector. Rows are replaced per file (delete by path,
 * then add), so a re-indexed file never leaves stale chunks behind.
 */
import * as lancedb from "@lancedb/lancedb";
import { Field, FixedSizeList, Float32, Int32, Schema, Utf8 } from "apache-arrow";
import type { StemmingLanguage } from "./lancedbConfig.js";

const TABLE = "chunks";
const FTS_COLUMN = "search_text";
/** Deletes name their files in batches: a predicate with a hundred thousand paths would be too long. */
const DELETE_BATCH = 500;

export interface ChunkRow {
  chunk_id: string;
  path: string;
  sha256: string;
  ordinal: number;
  locator: string | null;
  text: string;
  search_text: string;
  vector?: number[];
}

export interface ChunkHit {
  chunkId: string;
  path: string;
  locator: string | null;
  text: string;
}

export interface TableSettings {
  dimensions: number | null;
  stemming: StemmingLanguage | null;
  vectorIndex: VectorIndexSettings;
}

export interface VectorIndexSettings {
  enabled: boolean;
  minRows: number;
  probes: number;
}

/** Which indexes the table has: read once when opened, then kept as the table changes them. */
interface IndexState {
  fullText: boolean;
  vector: boolean;
}

const sqlString = (value: string) => `'${value.replace(/'/g, "''")}'`;

function schemaFor(dimensions: number | null): Schema {
  const fields: Field[] = [
    new Field("chunk_id", new Utf8(), false),
    new Field("path", new Utf8(), false),
    new Field("sha256", new Utf8(), false),
    new Field("ordinal", new Int32(), false),
    new Field("locator", new Utf8(), true),
    new Field("text", new Utf8(), false),
    new Field(FTS_COLUMN, new Utf8(), false),
  ];
  if (dimensions !== null) {
    fields.push(
      new Field("vector", new FixedSizeList(dimensions, new Field("item", new Float32(), true)), false),
    );
  }
  return new Schema(fields);
}

const HIT_COLUMNS = ["chunk_id", "path", "locator", "text"];
/** A row's id as a ranking key (LanceDB returns it as a number or a bigint). */
const rowKey = (row: Record<string, unknown>): string => String(row._rowid);
const toHit = (row: Record<string, unknown>): ChunkHit => ({
  chunkId: String(row.chunk_id),
  path: String(row.path),
  locator: row.locator == null ? null : String(row.locator),
  text: String(row.text),
});

export class ChunkTable {
  private constructor(
    private readonly connection: lancedb.Connection,
    private readonly table: lancedb.Table,
    private readonly settings: TableSettings,
    private readonly indexes: IndexState,
  ) {}

  /** Opens the table in `dir`, creating it; `rebuild` drops what was there first. */
  static async open(dir: string, settings: TableSettings, rebuild: boolean): Promise<ChunkTable> {
    const connection = await lancedb.connect(dir);
    const exists = (await connection.tableNames()).includes(TABLE);
    if (exists && rebuild) await connection.dropTable(TABLE);
    const table =
      exists && !rebuild
        ? await connection.openTable(TABLE)
        : await connection.createEmptyTable(TABLE, schemaFor(settings.dimensions));
    const columns = (await table.listIndices()).flatMap((index) => index.columns);
    const indexes = { fullText: columns.includes(FTS_COLUMN), vector: columns.includes("vector") };
    return new ChunkTable(connection, table, settings, indexes);
  }

  get hasVectors(): boolean {
    return this.settings.dimensions !== null;
  }

  async deleteFiles(paths: string[]): Promise<void> {
    for (let at = 0; at < paths.length; at += DELETE_BATCH) {
      const batch = paths.slice(at, at + DELETE_BATCH);
      await this.table.delete(`path IN (${batch.map(sqlString).join(", ")})`);
    }
  }

  /** Replaces every chunk of the given files with `rows`. */
  async replaceFiles(paths: string[], rows: ChunkRow[]): Promise<void> {
    await this.deleteFiles(paths);
    if (rows.length > 0) await this.table.add(rows as unknown as Record<string, unknown>[]);
  }

  countRows(): Promise<number> {
    return this.table.countRows();
  }

  /**
   * Creates the full-text index when there is none and the table has rows. Called after the first batch of an
   * index run, on purpose: LanceDB 0.31 built one over ~100k chunks with many distinct words for minutes
   * without finishing (2 cores), while folding the same rows into a small existing index with optimize() took
   * seconds.
   */
  async ensureFullTextIndex(): Promise<void> {
    if (this.indexes.fullText) return;
    if ((await this.table.countRows()) === 0) return;
    const { stemming } = this.settings;
    await this.table.createIndex(FTS_COLUMN, {
      config: lancedb.Index.fts({
        baseTokenizer: "simple",
        lowercase: true,
        asciiFolding: true,
        stem: stemming !== null,
        language: stemming ?? "English",
        removeStopWords: false,
        withPosition: false,
      }),
    });
    this.indexes.fullText = true;
  }

  /**
   * Creates the vector index (IVF, √rows partitions, exact distances inside the probed ones) once the table
   * is large enough for a scan of every vector to cost more than probing a few partitions.
   */
  private async ensureVectorIndex(): Promise<void> {
    const { vectorIndex } = this.settings;
    if (this.indexes.vector || !this.hasVectors || !vectorIndex.enabled) return;
    const rows = await this.table.countRows();
    if (rows < vectorIndex.minRows) return;
    await this.table.createIndex("vector", {
      config: lancedb.Index.ivfFlat({ distanceType: "cosine", numPartitions: Math.round(Math.sqrt(rows)) }),
    });
    this.indexes.vector = true;
  }

  /**
   * Brings the indexes up to date: folds rows added since into the full-text index and compacts the table
   * (rows not yet indexed are still searched, only slower).
   */
  async refreshIndexes(): Promise<void> {
    if (!this.indexes.fullText) await this.ensureFullTextIndex();
    else await this.table.optimize({ cleanupOlderThan: new Date() });
    await this.ensureVectorIndex();
  }

  /** Row ids of the full-text ranking, best first: read from the index alone, no column of the rows. */
  async fullTextKeys(query: string, limit: number): Promise<string[]> {
    if (!this.indexes.fullText) return [];
    const rows = await this.table
      .query()
      .fullTextSearch(query, { columns: FTS_COLUMN })
      .select(["_score"])
      .withRowId()
      .limit(limit)
      .toArray();
    return rows.map(rowKey);
  }

  /** Row ids of the vector ranking, best first (the vector index holds them: no column of the rows read). */
  async nearestKeys(vector: number[], limit: number): Promise<string[]> {
    if (!this.hasVectors) return [];
    const rows = await this.vectorSearch(vector).select(["_distance"]).withRowId().limit(limit).toArray();
    return rows.map(rowKey);
  }

  /**
   * The hits for row ids of a ranking, in the order given: one read of the few rows kept. A row deleted
   * since, or moved by a compaction since (its fragment is gone, ids are never reused), is undefined.
   */
  async hitsByKey(keys: string[]): Promise<(ChunkHit | undefined)[]> {
    let rows: Record<string, unknown>[];
    try {
      rows = await this.table
        .takeRowIds(keys.map((key) => BigInt(key)))
        .select(HIT_COLUMNS)
        .withRowId()
        .toArray();
    } catch {
      return keys.map(() => undefined);
    }
    const byKey = new Map(rows.map((row) => [rowKey(row), toHit(row)]));
    return keys.map((key) => byKey.get(key));
  }

  async fullText(query: string, limit: number): Promise<ChunkHit[]> {
    if (!this.indexes.fullText) return [];
    const rows = await this.table
      .query()
      .fullTextSearch(query, { columns: FTS_COLUMN })
      // Naming the score column keeps LanceDB from warning that it will stop adding it unasked.
      .select([...HIT_COLUMNS, "_score"])
      .limit(limit)
      .toArray();
    return rows.map(toHit);
  }

  async nearest(vector: number[], limit: number): Promise<ChunkHit[]> {
    if (!this.hasVectors) return [];
    const rows = await this.vectorSearch(vector)
      .select([...HIT_COLUMNS, "_distance"])
      .limit(limit)
      .toArray();
    return rows.map(toHit);
  }

  private vectorSearch(vector: number[]): lancedb.VectorQuery {
    const search = this.table.vectorSearch(vector).column("vector").distanceType("cosine");
    if (this.indexes.vector && this.settings.vectorIndex.enabled)
      search.nprobes(this.settings.vectorIndex.probes);
    else search.bypassVectorIndex();
    return search;
  }

  close(): void {
    this.table.close();
    this.connection.close();
  }
}
