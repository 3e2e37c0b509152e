import type { GraphQLTestClient } from "../../testing/platform/graphqlClient.js";

/** The preview chat's operations as a client calls them (cli/test/previewChat.test.ts, previewRemote.int.test.ts). */
export const START = `mutation ($input: StartPreviewReplyInput!) {
  startPreviewReply(input: $input) { id cloneId adapterVersion } }`;
export const PIECES = `subscription ($id: ID!) {
  previewReply(replyId: $id) { replyId seq text done finishReason completionTokens error } }`;

export interface Piece {
  replyId: string;
  seq: number;
  text: string;
  done: boolean;
  finishReason: string | null;
  completionTokens: number | null;
  error: string | null;
}

/** Every piece of a reply, through the subscription, until the one with done. */
export async function pieces(api: GraphQLTestClient, id: string): Promise<Piece[]> {
  const ws = api.ws();
  try {
    return await new Promise<Piece[]>((resolve, reject) => {
      const seen: Piece[] = [];
      ws.subscribe(
        { query: PIECES, variables: { id } },
        {
          next: (value) => {
            if (value.errors) reject(new Error(JSON.stringify(value.errors)));
            else seen.push((value.data as { previewReply: Piece }).previewReply);
          },
          error: (error) => reject(new Error(JSON.stringify(error))),
          complete: () => resolve(seen),
        },
      );
    });
  } finally {
    await ws.dispose();
  }
}

export const ask = (cloneId: string, messages: { role: string; content: string }[], seed?: number) => ({
  input: { cloneId, adapterVersion: 1, messages, ...(seed !== undefined ? { seed } : {}) },
});
