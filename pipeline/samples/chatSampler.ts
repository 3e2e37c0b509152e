import { ChatInfo, ChatMessage } from "../model/conversation.js";
import { authorKeyOf } from "./authorKey.js";
import { chatSkipReason, contactSkipReason, isOneToOne, SelectionLists } from "./chatSelection.js";
import { ChatSkipReason, MessageDropReason, SampleDropReason } from "./dropReason.js";
import { messageText } from "./messageText.js";
import { matchesAny } from "./nameMatch.js";
import { Sample } from "./sampleTypes.js";
import { SessionSplitter } from "./sessionSplitter.js";
import { sessionWindows } from "./sessionWindows.js";
import { limitTurn } from "./turnLimit.js";
import { mergeTurns, SpokenPart } from "./turnMerge.js";
import { renderTurn } from "./turnRender.js";

export interface SamplerLimits {
  /** Silence (ms) that ends a session. */
  sessionGapMs: number;
  /** A session is cut after this many kept messages, to bound memory. */
  maxSessionMessages: number;
  maxTurnChars: number;
  maxSampleTurns: number;
  maxSampleChars: number;
}

/** What the sampler reports as it goes; the dataset build turns these into its stats. */
export interface SamplerEvents {
  droppedMessages(reason: MessageDropReason | ChatSkipReason, count: number): void;
  droppedSample(reason: SampleDropReason): void;
  truncatedMessage(): void;
}

export interface ChatSamplerConfig {
  chat: Pick<ChatInfo, "id" | "name" | "type">;
  chatKey: string;
  ownerKeys: ReadonlySet<string>;
  limits: SamplerLimits;
  selection: SelectionLists;
  includeBotChats: boolean;
  /** Keep the owner's turn that opens a session as an opener sample (else dropped as leadingOwnerTurn). */
  openers: boolean;
  /** Cleans a kept message's text (redaction, pseudonyms); returns the text and what was replaced. */
  prepareText(text: string): { text: string; counts: Readonly<Record<string, number>> };
  /** The name a contact is shown under in group prefixes. */
  labelFor(contactKey: string, name: string | null): string;
  events: SamplerEvents;
}

/** Text a reply must contain to teach anything: letters or digits outside the redaction placeholders. */
const placeholder = /<[A-Z]+>/g;
function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text.replace(placeholder, ""));
}

/**
 * Turns one chat's messages into samples as they stream by, holding only the open session. Every
 * message that does not reach a sample is reported with its reason.
 */
export class ChatSampler {
  messages = 0;
  ownerMessages = 0;
  /** The owner's messages by identity (author key), when the owner has several across exports. */
  readonly ownerMessagesByKey = new Map<string, number>();
  samples = 0;
  skipReason: ChatSkipReason | null;
  private readonly splitter: SessionSplitter<SpokenPart>;
  private readonly group: boolean;
  private peerChecked = false;

  constructor(private readonly config: ChatSamplerConfig) {
    this.skipReason = chatSkipReason(config.chat, config.selection, config.includeBotChats);
    this.splitter = new SessionSplitter(config.limits.sessionGapMs, config.limits.maxSessionMessages);
    this.group = !isOneToOne(config.chat);
  }

  get cutSessions(): number {
    return this.splitter.cutSessions;
  }

  /** Adds a message; returns the samples of any session it closed. */
  push(message: ChatMessage): Sample[] {
    this.messages++;
    const key = authorKeyOf(message);
    const owner = key !== null && this.config.ownerKeys.has(key);
    if (owner) {
      this.ownerMessages++;
      this.ownerMessagesByKey.set(key, (this.ownerMessagesByKey.get(key) ?? 0) + 1);
    }
    const { events } = this.config;
    if (this.skipReason === null && key !== null && !owner) {
      const contactReason = this.contactReason(key, message.authorName);
      if (contactReason !== null) return this.drop(contactReason);
    }
    if (this.skipReason !== null) return this.drop(this.skipReason);
    if (key === null) return this.drop("unknownAuthor");

    const verdict = messageText(message);
    if (!verdict.keep) return this.drop(verdict.reason);
    const prepared = this.config.prepareText(verdict.text);
    let text = prepared.text;
    const label = owner ? "" : this.config.labelFor(key, message.authorName);
    const room = this.config.limits.maxTurnChars - (this.group && !owner ? label.length + 2 : 0);
    if (text.length > room) {
      // A long message of the owner is pasted text (a log, an article), not a reply to imitate, and a
      // cut-off reply would teach stopping mid-sentence; the other side's is only context, so it is cut.
      if (owner) return this.drop("tooLong");
      text = `${text.slice(0, Math.max(0, room - 1))}…`;
      events.truncatedMessage();
    }
    const part: SpokenPart = {
      role: owner ? "assistant" : "user",
      speakerKey: key,
      speakerLabel: label,
      text,
      timestamp: message.timestamp,
      redactions: prepared.counts,
    };
    const closed = this.splitter.push(part);
    return closed ? this.sessionSamples(closed) : [];
  }

  /** Closes the chat: the samples of its last session. */
  finish(): Sample[] {
    const closed = this.splitter.flush();
    return closed ? this.sessionSamples(closed) : [];
  }

  private drop(reason: MessageDropReason | ChatSkipReason): Sample[] {
    this.config.events.droppedMessages(reason, 1);
    return [];
  }

  /** The contact filter's verdict on a message of someone other than the owner. */
  private contactReason(key: string, name: string | null): ChatSkipReason | null {
    const { selection, chat } = this.config;
    const oneToOne = isOneToOne(chat);
    if (oneToOne && this.peerChecked) return null;
    let reason = contactSkipReason(selection, key, name, oneToOne);
    // The chat's own name is the peer's name as the owner saved it, which is what they would type.
    if (reason === "notIncludedContact" && matchesAny(selection.includeContacts, null, chat.name))
      reason = null;
    if (oneToOne) {
      this.peerChecked = true;
      if (reason !== null) {
        // The peer decides for the whole chat; what was kept so far (the owner alone) goes too.
        this.skipReason = reason;
        const kept = this.splitter.flush();
        if (kept) this.config.events.droppedMessages(reason, kept.length);
      }
    }
    // In a group only this person's messages go.
    return reason;
  }

  private sessionSamples(session: SpokenPart[]): Sample[] {
    const { limits, events } = this.config;
    const turns = mergeTurns(session).map((turn) => {
      const limited = limitTurn(turn, limits.maxTurnChars, this.group);
      if (limited.dropped > 0) events.droppedMessages("turnOverflow", limited.dropped);
      return limited.turn;
    });
    const windowing = sessionWindows(
      turns,
      { maxTurns: limits.maxSampleTurns, maxChars: limits.maxSampleChars },
      this.group,
      { openers: this.config.openers },
    );
    if (windowing.leadingOwnerMessages > 0)
      events.droppedMessages("leadingOwnerTurn", windowing.leadingOwnerMessages);
    if (windowing.trailingUserMessages > 0)
      events.droppedMessages("trailingUserTurn", windowing.trailingUserMessages);
    const sessionStart = session[0]!.timestamp;
    const samples: Sample[] = [];
    windowing.windows.forEach((turns, window) => {
      if (!turns.some((t) => t.role === "assistant" && hasWords(renderTurn(t, this.group)))) {
        events.droppedSample("noOwnerWords");
        return;
      }
      const sample: Sample = {
        chatKey: this.config.chatKey,
        chatId: this.config.chat.id,
        sessionStart,
        window,
        group: this.group,
        turns,
      };
      if (turns[0]!.role === "assistant") sample.opener = true;
      samples.push(sample);
    });
    this.samples += samples.length;
    return samples;
  }
}
