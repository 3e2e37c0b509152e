/**
 * Helpers for the runtime's end-to-end tests with the real built-in plugins (the plugin packages are the
 * runtime's dev dependencies): the registry its CLI passes, and the chat page's API.
 */
import assert from "node:assert/strict";

/** The built-ins by name, exactly as `aiclone-runtime runtime start` maps them to their packages. */
export { builtinPlugins as realPlugins } from "../cli/runtimeCommands.js";

export interface PageSource {
  source: string;
  score: number;
}

export type PageEvent =
  | { type: "text"; text: string }
  | { type: "done"; text: string; finishReason: string; sources: PageSource[] }
  | { type: "error"; message: string };

/**
 * One turn through the web chat page's API (`POST /api/conversations/:id/messages`): its SSE events.
 * `token`: the web plugin's, when it has one.
 */
export async function pageTurn(
  baseUrl: string,
  conversationId: string,
  text: string,
  token?: string,
): Promise<PageEvent[]> {
  const response = await fetch(`${baseUrl}/api/conversations/${conversationId}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ text }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const body = await response.text();
  return body
    .split("\n\n")
    .filter((frame) => frame.startsWith("data: "))
    .map((frame) => JSON.parse(frame.slice("data: ".length)) as PageEvent);
}

/** The final `done` event of a page turn (fails the test when the turn ended otherwise). */
export function doneEvent(events: PageEvent[]): Extract<PageEvent, { type: "done" }> {
  const last = events.at(-1);
  assert.ok(last?.type === "done", `the turn ended with ${JSON.stringify(last)}`);
  return last;
}
