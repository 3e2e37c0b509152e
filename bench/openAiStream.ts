import type OpenAI from "openai";

/** What one streamed completion gave: completion tokens (from the usage chunk), time to first text, time. */
export interface StreamSample {
  tokens: number;
  ttft: number;
  ms: number;
}

/** One streamed, greedy completion of `question` through the runtime's OpenAI API, timed on the client. */
export async function openAiStream(
  client: OpenAI,
  request: { cloneId: string; system: string; question: string; maxTokens: number },
): Promise<StreamSample> {
  const started = performance.now();
  let ttft = Number.NaN;
  let tokens = 0;
  const chunks = await client.chat.completions.create({
    model: request.cloneId,
    messages: [
      { role: "system", content: request.system },
      { role: "user", content: request.question },
    ],
    max_tokens: request.maxTokens,
    temperature: 0,
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const chunk of chunks) {
    if (Number.isNaN(ttft) && (chunk.choices[0]?.delta.content ?? "") !== "")
      ttft = performance.now() - started;
    if (chunk.usage) tokens = chunk.usage.completion_tokens;
  }
  return { tokens, ttft, ms: performance.now() - started };
}
