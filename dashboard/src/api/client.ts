import { type Client, createClient } from "graphql-ws";
import type { TypedDocumentString } from "../gql/graphql";

/** A GraphQL error as the API reports it: `extensions.code` (BAD_USER_INPUT, CONFLICT…) and the field. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; field?: string };
}
interface GraphQLResponse<T> {
  data?: T | null;
  errors?: GraphQLErrorShape[];
}

function toApiError(errors: readonly GraphQLErrorShape[]): ApiError {
  const first = errors[0];
  return new ApiError(
    first?.message ?? "unknown error",
    first?.extensions?.code ?? "INTERNAL_SERVER_ERROR",
    first?.extensions?.field,
  );
}

function resultOf<T>(body: GraphQLResponse<T>, status: number): T {
  if (body.errors?.length) throw toApiError(body.errors);
  if (body.data == null) throw new ApiError(`HTTP ${status}`, status === 401 ? "UNAUTHENTICATED" : "NETWORK");
  return body.data;
}

/** Progress of one upload, in bytes. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

/** An upload in flight: `done` settles with the result; `abort()` stops it. */
export interface UploadHandle<T> {
  done: Promise<T>;
  abort(): void;
}

/** A fresh idempotency key for one user action (a double click then acts once). */
export function actionKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The dashboard's only way to the platform: the public GraphQL API over HTTP (queries, mutations, multipart
 * uploads) and graphql-ws (subscriptions), with the API key as bearer token.
 */
export class ApiClient {
  readonly httpUrl: string;
  readonly wsUrl: string;
  private ws: Client | undefined;
  private readonly reconnectListeners = new Set<() => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private state: ConnectionState = "connecting";
  private lostTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    readonly apiKey: string,
    private readonly onUnauthenticated: () => void,
    base: string = window.location.origin,
  ) {
    this.httpUrl = new URL("/graphql", base).toString();
    this.wsUrl = this.httpUrl.replace(/^http/, "ws");
  }

  async request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    variables?: TVariables,
  ): Promise<TResult> {
    let response: Response;
    try {
      response = await fetch(this.httpUrl, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${this.apiKey}` },
        body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
      });
    } catch (error) {
      throw new ApiError(error instanceof Error ? error.message : String(error), "NETWORK");
    }
    let body: GraphQLResponse<TResult>;
    try {
      body = (await response.json()) as GraphQLResponse<TResult>;
    } catch {
      throw new ApiError(`HTTP ${response.status}`, "NETWORK");
    }
    try {
      return resultOf(body, response.status);
    } catch (error) {
      if (error instanceof ApiError && error.code === "UNAUTHENTICATED") this.onUnauthenticated();
      throw error;
    }
  }

  /**
   * Downloads a file the API serves with the key as bearer (a bundle): a plain link cannot send the header,
   * so it is fetched into a Blob. The file name comes from Content-Disposition, else `fallbackName`. A URL on
   * another origin than the dashboard's (a public URL the browser does not use) is fetched from this origin.
   */
  async download(url: string, fallbackName: string): Promise<{ blob: Blob; fileName: string }> {
    const target = new URL(url, window.location.origin);
    const href =
      target.origin === window.location.origin
        ? target.toString()
        : new URL(target.pathname + target.search, window.location.origin).toString();
    let response: Response;
    try {
      response = await fetch(href, { headers: { authorization: `Bearer ${this.apiKey}` } });
    } catch (error) {
      throw new ApiError(error instanceof Error ? error.message : String(error), "NETWORK");
    }
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      if (response.status === 401) {
        this.onUnauthenticated();
        throw new ApiError(text || `HTTP ${response.status}`, "UNAUTHENTICATED");
      }
      const code = response.status === 404 || response.status === 410 ? "NOT_FOUND" : "DOWNLOAD";
      throw new ApiError(text.slice(0, 300) || `HTTP ${response.status}`, code);
    }
    const disposition = response.headers.get("content-disposition") ?? "";
    const named = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
    let fileName = fallbackName;
    try {
      if (named) fileName = decodeURIComponent(named);
    } catch {
      fileName = named ?? fallbackName;
    }
    return { blob: await response.blob(), fileName };
  }

  /**
   * A multipart upload per the GraphQL multipart request spec, through XMLHttpRequest for its upload
   * progress events; the browser streams the file from disk. The server requires a preflight header (CSRF).
   */
  upload<TResult, TVariables extends Record<string, unknown>>(
    document: TypedDocumentString<TResult, TVariables>,
    variables: TVariables,
    fileVariable: keyof TVariables & string,
    file: File,
    onProgress: (progress: UploadProgress) => void,
  ): UploadHandle<TResult> {
    const xhr = new XMLHttpRequest();
    const done = new Promise<TResult>((resolve, reject) => {
      const form = new FormData();
      form.append(
        "operations",
        JSON.stringify({ query: document.toString(), variables: { ...variables, [fileVariable]: null } }),
      );
      form.append("map", JSON.stringify({ 0: [`variables.${fileVariable}`] }));
      form.append("0", file, file.name);
      xhr.open("POST", this.httpUrl);
      xhr.setRequestHeader("authorization", `Bearer ${this.apiKey}`);
      xhr.setRequestHeader("apollo-require-preflight", "true");
      xhr.responseType = "text";
      xhr.upload.onprogress = (event) =>
        onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
      xhr.onerror = () => reject(new ApiError("network error", "NETWORK"));
      xhr.onabort = () => reject(new ApiError("aborted", "ABORTED"));
      xhr.onload = () => {
        let body: GraphQLResponse<TResult>;
        try {
          body = JSON.parse(xhr.responseText) as GraphQLResponse<TResult>;
        } catch {
          reject(new ApiError(`HTTP ${xhr.status}: ${xhr.responseText.slice(0, 200)}`, "NETWORK"));
          return;
        }
        try {
          resolve(resultOf(body, xhr.status));
        } catch (error) {
          reject(error);
        }
      };
      xhr.send(form);
    });
    return { done, abort: () => xhr.abort() };
  }

  /** Subscribes over graphql-ws; returns the unsubscribe function. */
  subscribe<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    variables: TVariables,
    onData: (data: TResult) => void,
    onError: (error: ApiError) => void,
    onComplete: () => void = () => {},
  ): () => void {
    return this.socket().subscribe<TResult>(
      { query: document.toString(), variables: (variables ?? {}) as Record<string, unknown> },
      {
        next: (result) => {
          if (result.errors?.length) onError(toApiError(result.errors as GraphQLErrorShape[]));
          else if (result.data) onData(result.data as TResult);
        },
        error: (error) =>
          onError(
            Array.isArray(error)
              ? toApiError(error as GraphQLErrorShape[])
              : new ApiError(error instanceof Error ? error.message : "subscription closed", "NETWORK"),
          ),
        complete: onComplete,
      },
    );
  }

  /**
   * A long-lived subscription (a clone's updates): re-subscribed with backoff whenever the server ends it
   * (it completes every subscription when it shuts down) or fails it with anything but an authorization
   * error; each re-subscription tells the reconnect listeners, so views re-read what they may have missed.
   */
  watch<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    variables: TVariables,
    onData: (data: TResult) => void,
  ): () => void {
    let stopped = false;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let unsubscribe = () => {};
    const again = () => {
      if (stopped) return;
      timer = setTimeout(() => start(true), retryDelayMs(failures++));
    };
    const start = (restarted: boolean) => {
      if (stopped) return;
      let ended = false;
      const end = (retry: boolean) => {
        if (ended) return;
        ended = true;
        if (retry) again();
      };
      unsubscribe = this.subscribe(
        document,
        variables,
        (data) => {
          failures = 0;
          onData(data);
        },
        (error) => end(!FINAL_CODES.has(error.code)),
        () => end(true),
      );
      if (restarted) this.emitReconnect();
    };
    start(false);
    return () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
    };
  }

  /** Called after the socket reconnects, so views re-read what they may have missed. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** The socket's state now, and on every change (opens the socket if it is not open yet). */
  onConnectionState(listener: (state: ConnectionState) => void): () => void {
    this.socket();
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.lostTimer);
    void this.ws?.dispose();
    this.ws = undefined;
  }

  private emitReconnect(): void {
    for (const listener of this.reconnectListeners) listener();
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  /** Closed: reconnecting at once, "lost" once it has lasted LOST_AFTER_MS (the client keeps trying). */
  private disconnected(): void {
    if (this.closed || this.state === "reconnecting" || this.state === "lost") return;
    this.setState("reconnecting");
    clearTimeout(this.lostTimer);
    this.lostTimer = setTimeout(() => {
      if (this.state === "reconnecting") this.setState("lost");
    }, LOST_AFTER_MS);
  }

  private socket(): Client {
    if (this.ws) return this.ws;
    let connectedBefore = false;
    this.ws = createClient({
      url: this.wsUrl,
      // Browsers cannot set headers on a WebSocket: the key travels in connection_init's payload.
      connectionParams: { authorization: `Bearer ${this.apiKey}` },
      // Kept open, so the page can say whether it is connected even while nothing is subscribed.
      lazy: false,
      keepAlive: 15_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryDelayMs(retries))),
      shouldRetry: () => true,
      onNonLazyError: () => this.setState("lost"),
      on: {
        connected: () => {
          clearTimeout(this.lostTimer);
          this.setState("connected");
          if (connectedBefore) this.emitReconnect();
          connectedBefore = true;
        },
        closed: () => this.disconnected(),
      },
    });
    return this.ws;
  }
}

/** The socket as the page shows it. */
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "lost";

/** After this long without a connection the page says it is lost (and keeps trying). */
const LOST_AFTER_MS = 15_000;

/** Errors a re-subscription cannot mend: the key or the clone is gone. */
const FINAL_CODES = new Set(["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND"]);

/** Exponential backoff capped at 8 s, with jitter: a restarted platform is found within seconds. */
export function retryDelayMs(retries: number): number {
  return Math.min(500 * 2 ** retries, 8_000) + Math.floor(Math.random() * 500);
}
