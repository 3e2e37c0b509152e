import type OpenAI from "openai";

/** What one streamed completion gave: completion tokens (from the usage chunk), time to first text, time. */
export interface StreamSample {
  tokens: number;
  ttft: number;
  ms: number;
}

type StreamRequest = { cloneId: string; system: string; question: string; maxTokens: number };

/** The request both clients send: greedy, streamed, with the usage in the last chunk. */
function streamedCompletion(request: StreamRequest) {
  return {
    model: request.cloneId,
    messages: [
      { role: "system" as const, content: request.system },
      { role: "user" as const, content: request.question },
    ],
    max_tokens: request.maxTokens,
    temperature: 0,
    stream: true as const,
    stream_options: { include_usage: true },
  };
}

/** One streamed, greedy completion of `question` through the runtime's OpenAI API, timed on the client. */
export async function openAiStream(client: OpenAI, request: StreamRequest): Promise<StreamSample> {
  const started = performance.now();
  let ttft = Number.NaN;
  let tokens = 0;
  const chunks = await client.chat.completions.create(streamedCompletion(request));
  for await (const chunk of chunks) {
    if (Number.isNaN(ttft) && (chunk.choices[0]?.delta.content ?? "") !== "")
      ttft = performance.now() - started;
    if (chunk.usage) tokens = chunk.usage.completion_tokens;
  }
  return { tokens, ttft, ms: performance.now() - started };
}

/**
 * The same completion through plain `fetch`, the SSE read by hand: what the runtime costs without an SDK's
 * own work (request building, stream decoding, object per chunk) on the client side.
 */
export async function fetchStream(baseUrl: string, request: StreamRequest): Promise<StreamSample> {
  const started = performance.now();
  let ttft = Number.NaN;
  let tokens = 0;
  const response = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer loopback" },
    body: JSON.stringify(streamedCompletion(request)),
  });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  const decoder = new TextDecoder();
  let pending = "";
  for await (const bytes of response.body) {
    pending += decoder.decode(bytes, { stream: true });
    let end = pending.indexOf("\n\n");
    while (end >= 0) {
      const event = pending.slice(0, end);
      pending = pending.slice(end + 2);
      end = pending.indexOf("\n\n");
      if (!event.startsWith("data: ") || event === "data: [DONE]") continue;
      const chunk = JSON.parse(event.slice(6)) as {
        choices: Array<{ delta?: { content?: string } }>;
        usage?: { completion_tokens: number } | null;
      };
      if (Number.isNaN(ttft) && (chunk.choices[0]?.delta?.content ?? "") !== "")
        ttft = performance.now() - started;
      if (chunk.usage) tokens = chunk.usage.completion_tokens;
    }
  }
  return { tokens, ttft, ms: performance.now() - started };
}
