import { AccountOwner, ChatMessage, ExportFormat, ExportRecord } from "../model/conversation.js";
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
  const tally = new SourceTally(options.maxSkippedExamples);
  for await (const record of readRecords(source, options)) tally.add(record);
  return tally.summary();
}

/** The counts of one inspection, record by record. */
export class SourceTally {
  private readonly tracker = new ChatTracker();
  private readonly chats = new Map<string, ChatTally>();
  private readonly participants = new Map<string, ParticipantTally>();
  private readonly accounts = new Map<string, AccountOwner>();
  private readonly formats = new Set<ExportFormat>();
  private readonly skipped: SkippedInputsTally;
  private records = 0;
  private messages = 0;
  private first: number | null = null;
  private last: number | null = null;

  constructor(maxSkippedExamples: number | undefined) {
    this.skipped = new SkippedInputsTally(maxSkippedExamples);
  }

  add(record: ExportRecord): void {
    this.records++;
    switch (record.type) {
      case "account":
        if (!this.accounts.has(record.owner.id) || record.owner.name)
          this.accounts.set(record.owner.id, { ...record.owner });
        break;
      case "chat": {
        this.formats.add(record.chat.format);
        this.chatTally(this.tracker.onChat(record.chat).chat);
        break;
      }
      case "skipped":
        this.skipped.add(record.skipped);
        break;
      case "message":
        this.addMessage(record.message);
        break;
    }
  }

  private chatTally(chat: TrackedChat): ChatTally {
    let tally = this.chats.get(chat.key);
    if (!tally) {
      tally = { chat, messages: 0, authors: new Map(), first: null, last: null };
      this.chats.set(chat.key, tally);
    }
    return tally;
  }

  private addMessage(message: ChatMessage): void {
    this.messages++;
    const tally = this.chatTally(this.tracker.chatOf(message).chat);
    tally.messages++;
    const ts = message.timestamp;
    if (Number.isFinite(ts)) {
      if (tally.first === null || ts < tally.first) tally.first = ts;
      if (tally.last === null || ts > tally.last) tally.last = ts;
      if (this.first === null || ts < this.first) this.first = ts;
      if (this.last === null || ts > this.last) this.last = ts;
    }
    const key = authorKeyOf(message);
    if (key === null) return;
    const author = tally.authors.get(key);
    if (author) {
      author.messages++;
      if (message.authorName) author.name = message.authorName;
    } else tally.authors.set(key, { id: key, name: message.authorName, messages: 1 });
    this.addToParticipant(key, tally.chat, message);
  }

  /** The author across chats and formats, with up to maxNamesPerAuthor of the names they went by. */
  private addToParticipant(key: string, chat: TrackedChat, message: ChatMessage): void {
    let participant = this.participants.get(key);
    if (!participant) {
      participant = {
        id: key,
        name: null,
        names: new Set(),
        messages: 0,
        chats: new Set(),
        formats: new Set(),
      };
      this.participants.set(key, participant);
    }
    participant.messages++;
    participant.chats.add(chat.key);
    if (chat.format) participant.formats.add(chat.format);
    if (message.authorName) {
      participant.name = message.authorName;
      if (participant.names.size < maxNamesPerAuthor) participant.names.add(message.authorName);
    }
  }

  summary(): SourceSummary {
    const chatSummaries: ChatSummary[] = [...this.chats.values()].map(
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
    const participantSummaries: ParticipantSummary[] = [...this.participants.values()]
      .map((p) => ({
        id: p.id,
        name: p.name,
        names: [...p.names],
        messages: p.messages,
        chats: p.chats.size,
        formats: [...p.formats].sort(),
      }))
      .sort(byActivity);
    const { first, last } = this;
    return {
      formats: [...this.formats].sort(),
      records: this.records,
      messages: this.messages,
      chats: chatSummaries,
      participants: participantSummaries,
      dateRange: first !== null && last !== null ? { first, last } : null,
      accountOwners: [...this.accounts.values()],
      skippedInputs: this.skipped.result(),
    };
  }
}
