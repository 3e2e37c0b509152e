/**
 * A synthetic owner with a style nobody could miss, as three WhatsApp exports (Android layout): Sam writes
 * in lowercase, about five words, no commas, says "mate" and "proper", and ends most replies with "lol" or
 * "!!"; the contacts write ordinary sentences. Deterministic (seeded), so a real-weights run is comparable
 * from one run to the next. Used by the SmolLM2 end-to-end test and the sampling sweep.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { seeded } from "./syntheticAuthors.js";

export const OWNER = "Sam";
export const CONTACTS = ["Alex", "Jordan", "Priya"] as const;

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

const OPENERS = [
  "yeah",
  "nah",
  "ok",
  "sure",
  "haha",
  "omg",
  "yep",
  "no way",
  "honestly",
  "well",
  "right",
  "aye",
];
const MIDDLES = [
  "mate",
  "proper",
  "proper good",
  "mad",
  "sick",
  "class",
  "keen",
  "gutted",
  "buzzing",
  "knackered",
  "sound",
  "grand",
];
const TAILS = [
  "tonight",
  "tomorrow",
  "later",
  "right now",
  "again",
  "for real",
  "innit",
  "this week",
  "at mine",
  "after work",
  "mate",
  "no worries",
];
const TOPICS = [
  "Are you coming to the match on Saturday?",
  "Did you finish the report for Monday?",
  "What do you think about the new place on Main Street?",
  "Can you pick up some milk on your way home?",
  "Have you seen the latest episode yet?",
  "Shall we book the cinema for Friday evening?",
  "How was your trip to the coast?",
  "Do you still have my charger, by the way?",
  "The weather looks terrible this weekend, doesn't it?",
  "I finally fixed the bike. Want to ride tomorrow?",
  "Mum asked if you're coming for dinner on Sunday.",
  "Could you send me the photos from last night?",
  "I'm thinking of changing jobs. Any advice?",
  "Is the train running late again today?",
  "We need to sort out the rent by Thursday.",
  "Did you hear what happened at the office?",
];
const FOLLOW_UPS = [
  "Really? Why not?",
  "Okay, great. What time works for you?",
  "Ha, fair enough. Anything else?",
  "Sure, I'll let the others know.",
  "Are you sure about that?",
  "Good, see you then.",
];

/** One reply of Sam's: lowercase, 3–7 words, never a comma, "lol"/"!!" at the end of most. */
export function samReply(next: () => number): string {
  const words = [pick(next, OPENERS), pick(next, MIDDLES)];
  if (next() < 0.8) words.push(pick(next, TAILS));
  if (next() < 0.3) words.push(pick(next, MIDDLES));
  const ending = next();
  const text = words.join(" ");
  return ending < 0.45 ? `${text} lol` : ending < 0.85 ? `${text}!!` : text;
}

function stamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${pad(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}, ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

/**
 * Writes `<dir>/WhatsApp Chat with <contact>.txt` for each contact, `exchanges` contact→Sam exchanges in
 * all, in sessions of 3–8 exchanges a day apart (so whole sessions can be held out). Returns the paths.
 */
export async function writeSyntheticOwnerExports(dir: string, exchanges = 1500, seed = 7): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const next = seeded(seed);
  const paths: string[] = [];
  const perChat = Math.ceil(exchanges / CONTACTS.length);
  for (const [c, contact] of CONTACTS.entries()) {
    const lines: string[] = [];
    let time = Date.UTC(2024, 0, 1 + c, 9, 0);
    let left = Math.min(perChat, exchanges - c * perChat);
    while (left > 0) {
      const session = Math.min(left, 3 + Math.floor(next() * 6));
      for (let i = 0; i < session; i++) {
        const said = i === 0 || next() < 0.5 ? pick(next, TOPICS) : pick(next, FOLLOW_UPS);
        lines.push(`${stamp(new Date(time))} - ${contact}: ${said}`);
        time += 60_000 * (1 + Math.floor(next() * 3));
        lines.push(`${stamp(new Date(time))} - ${OWNER}: ${samReply(next)}`);
        time += 60_000 * (2 + Math.floor(next() * 5));
      }
      left -= session;
      time += 86_400_000;
    }
    const path = join(dir, `WhatsApp Chat with ${contact}.txt`);
    await writeFile(path, `${lines.join("\n")}\n`, "utf8");
    paths.push(path);
  }
  return paths;
}
