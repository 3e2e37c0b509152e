import type { ServerResponse } from "node:http";

/**
 * Server-sent events as OpenAI frames them: one `data: <json>\n\n` per event, `data: [DONE]\n\n` last.
 * Headers go out with the first event, so an error before any text can still be a plain JSON answer.
 */
export class SseStream {
  private started = false;

  constructor(private readonly res: ServerResponse) {}

  get isStarted(): boolean {
    return this.started;
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      // Reverse proxies (nginx) would otherwise buffer the stream.
      "x-accel-buffering": "no",
    });
    this.res.flushHeaders();
  }

  send(data: unknown): void {
    this.start();
    if (!this.res.writableEnded) this.res.write(frameSseData(JSON.stringify(data)));
  }

  /** Ends the stream; with `done` the OpenAI terminator is sent first. */
  end(done = true): void {
    this.start();
    if (this.res.writableEnded) return;
    if (done) this.res.write(frameSseData("[DONE]"));
    this.res.end();
  }
}

/** One SSE event; a payload with line breaks becomes several `data:` lines, as the SSE spec reassembles. */
export function frameSseData(payload: string): string {
  return `${payload
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}`)
    .join("\n")}\n\n`;
}
