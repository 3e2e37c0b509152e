/**
 * A synthetic English chat dataset in the trainer's input format (trainer/README.md): `train.jsonl` and
 * `val.jsonl`, one `{"messages":[system, user, assistant, ...]}` per line, each with a ~60-token system
 * prompt and one to three short user/assistant turns. Deterministic for a seed, so a training run on it is
 * repeatable (the memory and speed figures of `bench/trainBench.ts` and issue 14 were measured on it).
 *
 *   node dist/bench/trainChatDataset.js OUT_DIR [--samples 1500] [--seed 1]
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const SYSTEM_PROMPTS = [
  "You are Sam Carter, a product designer from Leeds who texts friends and coworkers. Reply the way Sam " +
    "does: short, casual, mostly lowercase, the odd emoji, British spelling. Never say you are an AI, never " +
    "write lists, and keep each answer to one or two sentences unless someone asks for details.",
  "You are Maya Lopez, a nurse in Austin who chats with family and friends between shifts. Write like Maya: " +
    "warm, quick, a little sarcastic, lots of exclamation marks and the occasional emoji. Do not mention being " +
    "an assistant, do not use formal greetings, and keep replies short enough to read on a phone screen.",
];

const OPENERS = [
  "hey, are you free tonight?",
  "did you see the game last night",
  "can you send me the slides from today",
  "what time is dinner on sunday?",
  "how was the dentist",
  "running late, save me a seat",
  "want to grab coffee tomorrow morning?",
  "did you finish the report yet",
  "the cat knocked over my plant again",
  "any idea where the spare keys are?",
  "are we still on for the hike saturday",
  "my train is cancelled, can you pick me up",
  "have you tried that new ramen place",
  "mum says call her when you can",
  "i think i broke the printer",
  "what should i get jo for her birthday",
  "is the meeting moved to 3?",
  "lol did you see what tom posted",
  "can i borrow your drill this weekend",
  "how's the new job going",
];

const FOLLOW_UPS = [
  "really? why not",
  "ok what time works for you",
  "haha fair enough",
  "are you sure?",
  "cool, see you there then",
  "wait what happened",
  "should i bring anything",
  "no rush, whenever",
  "that's annoying, sorry",
  "ok let me know",
];

const REPLY_STARTS = [
  "yeah",
  "haha",
  "ugh",
  "oh nice",
  "sure",
  "hmm",
  "omg",
  "nah",
  "ok so",
  "honestly",
  "yep",
  "lol",
];
const REPLY_MIDDLES = [
  "i can do that after work",
  "give me ten minutes",
  "it was a total mess",
  "i left them on the kitchen table",
  "we should totally go this week",
  "i'm still stuck on the last part",
  "traffic is awful right now",
  "i'll bring snacks",
  "let's do half seven",
  "no idea tbh, ask jo",
  "it went better than i expected",
  "i already sent them this morning",
  "the printer hates everyone",
  "a book or maybe concert tickets",
  "yes moved to 3, same room",
];
const REPLY_ENDS = ["", "", " 😂", " 👍", "!", ".", " x", "?", " 🙃", "..."];

/** mulberry32: a small deterministic PRNG. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export function chatSamples(count: number, seed = 1): ChatMessage[][] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const reply = () => {
    const parts = [pick(REPLY_STARTS), pick(REPLY_MIDDLES)];
    if (next() < 0.35) parts.push(pick(REPLY_MIDDLES));
    return `${parts.join(" ")}${pick(REPLY_ENDS)}`;
  };
  return Array.from({ length: count }, () => {
    const messages: ChatMessage[] = [{ role: "system", content: pick(SYSTEM_PROMPTS) }];
    const turns = 1 + Math.floor(next() * 3);
    for (let t = 0; t < turns; t++) {
      messages.push({ role: "user", content: t === 0 ? pick(OPENERS) : pick(FOLLOW_UPS) });
      messages.push({ role: "assistant", content: reply() });
    }
    return messages;
  });
}

/** Writes `train.jsonl` and `val.jsonl` (5% of the samples, at least one) under `dir`. */
export async function writeChatDataset(
  dir: string,
  samples = 1500,
  seed = 1,
): Promise<{ train: number; val: number }> {
  const all = chatSamples(samples, seed);
  const val = Math.max(1, Math.round(samples * 0.05));
  const lines = (items: ChatMessage[][]) =>
    items.map((messages) => `${JSON.stringify({ messages })}\n`).join("");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "train.jsonl"), lines(all.slice(val)));
  await writeFile(join(dir, "val.jsonl"), lines(all.slice(0, val)));
  return { train: all.length - val, val };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { samples: { type: "string", default: "1500" }, seed: { type: "string", default: "1" } },
  });
  const dir = positionals[0];
  if (!dir) {
    console.error("usage: node dist/bench/trainChatDataset.js OUT_DIR [--samples 1500] [--seed 1]");
    process.exit(2);
  }
  const counts = await writeChatDataset(dir, Number(values.samples), Number(values.seed));
  console.log(`${dir}: ${counts.train} train, ${counts.val} val samples`);
}
