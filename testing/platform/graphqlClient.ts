import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

/** A minimal client speaking what integrators speak: JSON POST, multipart uploads, graphql-ws. */
export class GraphQLTestClient {
  constructor(
    readonly url: string,
    readonly token: string | null,
  ) {}

  withToken(token: string | null): GraphQLTestClient {
    return new GraphQLTestClient(this.url, token);
  }

  private headers(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  async request<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphQLResponse<T>> {
    const response = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...this.headers() },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<T>;
  }

  /** Like request, but fails on any GraphQL error and returns data. */
  async data<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await this.request<T>(query, variables);
    if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  }

  /** GraphQL multipart request spec: `operations`, `map`, then the file under field "0". */
  async upload<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown>,
    fileVariable: string,
    file: { name: string; content: Blob | Uint8Array | string; type?: string },
  ): Promise<GraphQLResponse<T>> {
    const form = new FormData();
    form.set("operations", JSON.stringify({ query, variables: { ...variables, [fileVariable]: null } }));
    form.set("map", JSON.stringify({ 0: [`variables.${fileVariable}`] }));
    const blob =
      file.content instanceof Blob
        ? file.content
        : new Blob([file.content], { type: file.type ?? "application/octet-stream" });
    form.set("0", blob, file.name);
    const response = await fetch(this.url, {
      method: "POST",
      headers: { "apollo-require-preflight": "true", ...this.headers() },
      body: form,
    });
    return (await response.json()) as GraphQLResponse<T>;
  }

  /** A graphql-ws client authenticating in connection_init, as browsers must. */
  ws(): Client {
    return createClient({
      url: this.url.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      connectionParams: this.token ? { authorization: `Bearer ${this.token}` } : {},
      retryAttempts: 0,
    });
  }
}

/** Collects a subscription's results in the background; `next(n)` waits (with a deadline) for n of them. */
export class SubscriptionRecorder<T> {
  readonly results: GraphQLResponse<T>[] = [];
  private readonly iterator: AsyncIterableIterator<GraphQLResponse<T>>;
  private readonly done: Promise<void>;
  private wake: (() => void) | null = null;
  ended = false;

  constructor(client: Client, query: string, variables: Record<string, unknown>) {
    const iterator = client.iterate({ query, variables }) as AsyncIterableIterator<GraphQLResponse<T>>;
    this.iterator = iterator;
    this.done = (async () => {
      try {
        for await (const result of iterator) {
          this.results.push(result);
          this.wake?.();
        }
      } finally {
        this.ended = true;
        this.wake?.();
      }
    })();
    this.done.catch(() => {});
  }

  async waitFor(count: number, timeoutMs = 5_000): Promise<GraphQLResponse<T>[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.results.length < count) {
      if (this.ended) throw new Error(`subscription ended after ${this.results.length} of ${count} results`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out after ${this.results.length} of ${count} subscription results`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.results.slice(0, count);
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}
