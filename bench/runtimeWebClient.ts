/**
 * The OpenAI client of bench/runtimeWeb.ts in a worker thread: its HTTP and SSE parsing run on their own
 * event loop, as a client in another process would, so they do not delay the runtime's token loop on the
 * bench's main thread. Each message is one request; the answer is its tokens, time to first text and time.
 */
import { parentPort, workerData } from "node:worker_threads";
import OpenAI from "openai";
import { fetchStream, openAiStream } from "./openAiStream.js";

export interface ClientRequest {
  id: number;
  system: string;
  /** The official OpenAI client (default), or plain fetch with the SSE read by hand. */
  via?: "openai" | "fetch";
}
export interface ClientAnswer {
  id: number;
  tokens: number;
  ttft: number;
  ms: number;
  error?: string;
}

const { baseUrl, cloneId, question, maxTokens } = workerData as {
  baseUrl: string;
  cloneId: string;
  question: string;
  maxTokens: number;
};
const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: "loopback", maxRetries: 0 });

async function stream(request: ClientRequest): Promise<ClientAnswer> {
  const asked = { cloneId, system: request.system, question, maxTokens };
  const sample =
    request.via === "fetch" ? await fetchStream(baseUrl, asked) : await openAiStream(client, asked);
  return { id: request.id, ...sample };
}

parentPort?.on("message", (request: ClientRequest) => {
  stream(request).then(
    (answer) => parentPort?.postMessage(answer),
    (error: unknown) =>
      parentPort?.postMessage({ id: request.id, tokens: 0, ttft: Number.NaN, ms: 0, error: String(error) }),
  );
});
