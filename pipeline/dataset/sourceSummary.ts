import { AccountOwner, ExportFormat } from "../model/conversation.js";
import type { TrackedChat } from "./chatTracker.js";
import { SkippedInputsSummary } from "./skippedInputs.js";

export interface AuthorCount {
  /** The author key: the export's author id, or `name:<display name>` when it has none. */
  id: string;
  name: string | null;
  messages: number;
}

export interface ChatSummary extends TrackedChat {
  messages: number;
  /** Most active first. */
  participants: AuthorCount[];
  firstTimestamp: number | null;
  lastTimestamp: number | null;
}

export interface ParticipantSummary extends AuthorCount {
  /** Every display name seen for this author (renames), at most a few. */
  names: string[];
  chats: number;
  formats: ExportFormat[];
}

/** What an export holds, read in one pass: shown before a build ("SourceInspected") and used to pick the owner. */
export interface SourceSummary {
  formats: ExportFormat[];
  records: number;
  messages: number;
  chats: ChatSummary[];
  /** Most active first. */
  participants: ParticipantSummary[];
  dateRange: { first: number; last: number } | null;
  /** From Telegram's personal_information; several when several exports were combined. */
  accountOwners: AccountOwner[];
  skippedInputs: SkippedInputsSummary;
}
