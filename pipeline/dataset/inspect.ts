import { AccountOwner, ExportFormat } from "../model/conversation.js";
import { authorKeyOf } from "../samples/authorKey.js";
import { ChatTracker, TrackedChat } from "./chatTracker.js";
import { ReadOptions, RecordSource, readRecords } from "./recordSource.js";
import { SkippedInputsTally } from "./skippedInputs.js";
import { AuthorCount, ChatSummary, ParticipantSummary, SourceSummary } from "./sourceSummary.js";

/** The display names kept per author (renames); more are not recorded. */
export const maxNamesPerAuthor = 5;

interface ChatTally {
  chat: TrackedChat;
  messages: number;
  authors: Map<string, AuthorCount>;
  first: number | null;
  last: number | null;
}

interface ParticipantTally {
  id: string;
  name: string | null;
  names: Set<string>;
  messages: number;
  chats: Set<string>;
  formats: Set<ExportFormat>;
}

function byActivity(a: AuthorCount, b: AuthorCount): number {
  return b.messages - a.messages || a.id.localeCompare(b.id);
}

/**
 * Pass 1: what the source holds (chats, who wrote how much, dates, the account owner, skipped inputs).
 * Memory grows with chats and authors, never with messages.
 */
export async function inspect(
  source: RecordSource,
  options: ReadOptions & { maxSkippedExamples?: number } = {},
): Promise<SourceSummary> {
  const tracker = new ChatTracker();
  const chats = new Map<string, ChatTally>();
  const participants = new Map<string, ParticipantTally>();
  const accounts = new Map<string, AccountOwner>();
  const formats = new Set<ExportFormat>();
  const skipped = new SkippedInputsTally(options.maxSkippedExamples);
  let records = 0;
  let messages = 0;
  let first: number | null = null;
  let last: number | null = null;
  const tallyOf = (chat: TrackedChat): ChatTally => {
    let tally = chats.get(chat.key);
    if (!tally) {
      tally = { chat, messages: 0, authors: new Map(), first: null, last: null };
      chats.set(chat.key, tally);
    }
    return tally;
  };

  for await (const record of readRecords(source, options)) {
    records++;
    switch (record.type) {
      case "account":
        if (!accounts.has(record.owner.id) || record.owner.name)
          accounts.set(record.owner.id, { ...record.owner });
        break;
      case "chat": {
        formats.add(record.chat.format);
        tallyOf(tracker.onChat(record.chat).chat);
        break;
      }
      case "skipped":
        skipped.add(record.skipped);
        break;
      case "message": {
        const message = record.message;
        messages++;
        const tally = tallyOf(tracker.chatOf(message).chat);
        tally.messages++;
        const ts = message.timestamp;
        if (Number.isFinite(ts)) {
          if (tally.first === null || ts < tally.first) tally.first = ts;
          if (tally.last === null || ts > tally.last) tally.last = ts;
          if (first === null || ts < first) first = ts;
          if (last === null || ts > last) last = ts;
        }
        const key = authorKeyOf(message);
        if (key === null) break;
        const author = tally.authors.get(key);
        if (author) {
          author.messages++;
          if (message.authorName) author.name = message.authorName;
        } else tally.authors.set(key, { id: key, name: message.authorName, messages: 1 });
        let participant = participants.get(key);
        if (!participant) {
          participant = {
            id: key,
            name: null,
            names: new Set(),
            messages: 0,
            chats: new Set(),
            formats: new Set(),
          };
          participants.set(key, participant);
        }
        participant.messages++;
        participant.chats.add(tally.chat.key);
        if (tally.chat.format) participant.formats.add(tally.chat.format);
        if (message.authorName) {
          participant.name = message.authorName;
          if (participant.names.size < maxNamesPerAuthor) participant.names.add(message.authorName);
        }
        break;
      }
    }
  }

  const chatSummaries: ChatSummary[] = [...chats.values()].map(
    ({ chat, messages, authors, first, last }) => ({
      key: chat.key,
      id: chat.id,
      name: chat.name,
      type: chat.type,
      format: chat.format,
      source: chat.source,
      messages,
      participants: [...authors.values()].sort(byActivity),
      firstTimestamp: first,
      lastTimestamp: last,
    }),
  );
  const participantSummaries: ParticipantSummary[] = [...participants.values()]
    .map((p) => ({
      id: p.id,
      name: p.name,
      names: [...p.names],
      messages: p.messages,
      chats: p.chats.size,
      formats: [...p.formats].sort(),
    }))
    .sort(byActivity);
  return {
    formats: [...formats].sort(),
    records,
    messages,
    chats: chatSummaries,
    participants: participantSummaries,
    dateRange: first !== null && last !== null ? { first, last } : null,
    accountOwners: [...accounts.values()],
    skippedInputs: skipped.result(),
  };
}
