/**
 * A local stand-in of the Pinecone API (node:http) for the plugin's tests: the control plane's describe-index
 * and the data plane's upsert, query (cosine, topK, metadata filter), delete (ids, filter, deleteAll), list by
 * id prefix and index stats, with the JSON shapes of the 2025-10 API the v8 client speaks. Every request is
 * recorded with its API key and version header, so a test can check the client really came here.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

type Metadata = Record<string, unknown>;
interface StoredVector {
  id: string;
  values: number[];
  metadata?: Metadata;
}

export interface RecordedRequest {
  method: string;
  path: string;
  apiKey: string | undefined;
  apiVersion: string | undefined;
  body: unknown;
}

const cosine = (a: number[], b: number[]) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
};

/** Pinecone's metadata filter language, the part the plugin and tests use: equality, $eq, $ne, $in, $and, $or. */
function matches(metadata: Metadata | undefined, filter: Record<string, unknown> | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([key, condition]) => {
    if (key === "$and") return (condition as Record<string, unknown>[]).every((f) => matches(metadata, f));
    if (key === "$or") return (condition as Record<string, unknown>[]).some((f) => matches(metadata, f));
    const value = metadata?.[key];
    if (condition !== null && typeof condition === "object" && !Array.isArray(condition)) {
      return Object.entries(condition).every(([op, operand]) => {
        if (op === "$eq") return value === operand;
        if (op === "$ne") return value !== operand;
        if (op === "$in") return (operand as unknown[]).includes(value);
        if (op === "$nin") return !(operand as unknown[]).includes(value);
        throw new Error(`unsupported filter operator ${op}`);
      });
    }
    return value === condition;
  });
}

export class PineconeStandIn {
  readonly requests: RecordedRequest[] = [];
  /** namespace → id → vector */
  readonly namespaces = new Map<string, Map<string, StoredVector>>();
  private server: Server | undefined;
  private baseUrl = "";

  constructor(
    readonly apiKey: string,
    readonly indexName: string,
    readonly dimension: number,
  ) {}

  get url(): string {
    return this.baseUrl;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.send(res, 500, { error: { code: "INTERNAL", message: String(error) }, status: 500 });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  namespace(name: string): Map<string, StoredVector> {
    let ns = this.namespaces.get(name);
    if (!ns) {
      ns = new Map();
      this.namespaces.set(name, ns);
    }
    return ns;
  }

  count(method: string, path: string): number {
    return this.requests.filter((r) => r.method === method && r.path === path).length;
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.baseUrl);
    let raw = "";
    for await (const piece of req) raw += piece;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const header = (name: string) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    };
    this.requests.push({
      method: req.method ?? "",
      path: url.pathname,
      apiKey: header("Api-Key"),
      apiVersion: header("X-Pinecone-Api-Version"),
      body,
    });
    if (header("Api-Key") !== this.apiKey) {
      return this.send(res, 401, {
        error: { code: "UNAUTHENTICATED", message: "Invalid API Key" },
        status: 401,
      });
    }
    const route = `${req.method} ${url.pathname}`;

    if (req.method === "GET" && url.pathname.startsWith("/indexes/")) {
      const name = decodeURIComponent(url.pathname.slice("/indexes/".length));
      if (name !== this.indexName) {
        return this.send(res, 404, {
          error: { code: "NOT_FOUND", message: `Resource ${name} not found` },
          status: 404,
        });
      }
      return this.send(res, 200, {
        name,
        dimension: this.dimension,
        metric: "cosine",
        host: this.baseUrl,
        vector_type: "dense",
        deletion_protection: "disabled",
        spec: { serverless: { cloud: "aws", region: "us-east-1" } },
        status: { ready: true, state: "Ready" },
      });
    }

    const ns = this.namespace(
      typeof body.namespace === "string" ? body.namespace : (url.searchParams.get("namespace") ?? ""),
    );
    switch (route) {
      case "POST /vectors/upsert": {
        const vectors = body.vectors as StoredVector[];
        for (const v of vectors) {
          if (v.values.length !== this.dimension) {
            return this.send(res, 400, {
              error: {
                code: "INVALID_ARGUMENT",
                message: `Vector dimension ${v.values.length} does not match the dimension of the index ${this.dimension}`,
              },
              status: 400,
            });
          }
          ns.set(v.id, { id: v.id, values: v.values, ...(v.metadata ? { metadata: v.metadata } : {}) });
        }
        return this.send(res, 200, { upsertedCount: vectors.length });
      }
      case "POST /query": {
        const query = body.vector as number[];
        const topK = body.topK as number;
        const filter = body.filter as Record<string, unknown> | undefined;
        const found = [...ns.values()]
          .filter((v) => matches(v.metadata, filter))
          .map((v) => ({ v, score: cosine(query, v.values) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, topK)
          .map(({ v, score }) => ({
            id: v.id,
            score,
            values: body.includeValues ? v.values : [],
            ...(body.includeMetadata && v.metadata ? { metadata: v.metadata } : {}),
          }));
        return this.send(res, 200, {
          matches: found,
          namespace: body.namespace ?? "",
          usage: { readUnits: 1 },
        });
      }
      case "POST /vectors/delete": {
        if (body.deleteAll) ns.clear();
        for (const id of (body.ids as string[] | undefined) ?? []) ns.delete(id);
        if (body.filter) {
          for (const v of [...ns.values()])
            if (matches(v.metadata, body.filter as Record<string, unknown>)) ns.delete(v.id);
        }
        return this.send(res, 200, {});
      }
      case "GET /vectors/list": {
        const prefix = url.searchParams.get("prefix") ?? "";
        const limit = Number(url.searchParams.get("limit") ?? 100);
        const start = Number(url.searchParams.get("paginationToken") ?? 0);
        const ids = [...ns.keys()].filter((id) => id.startsWith(prefix)).sort();
        const page = ids.slice(start, start + limit);
        return this.send(res, 200, {
          vectors: page.map((id) => ({ id })),
          ...(start + limit < ids.length ? { pagination: { next: String(start + limit) } } : {}),
          namespace: url.searchParams.get("namespace") ?? "",
          usage: { readUnits: 1 },
        });
      }
      case "POST /describe_index_stats": {
        const namespaces = Object.fromEntries(
          [...this.namespaces.entries()]
            .filter(([, n]) => n.size > 0)
            .map(([name, n]) => [name, { vectorCount: n.size }]),
        );
        const total = [...this.namespaces.values()].reduce((sum, n) => sum + n.size, 0);
        return this.send(res, 200, {
          namespaces,
          dimension: this.dimension,
          indexFullness: 0,
          totalVectorCount: total,
        });
      }
      default:
        return this.send(res, 404, {
          error: { code: "NOT_FOUND", message: `no route ${route}` },
          status: 404,
        });
    }
  }
}
