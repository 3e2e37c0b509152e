export type Role = "user" | "assistant";

/** One kept message inside a turn, with its text already cleaned (redacted, names replaced). */
export interface TurnPart {
  speakerKey: string;
  /** The name shown in group prefixes (a pseudonym when those are on). */
  speakerLabel: string;
  text: string;
  timestamp: number;
  /** Replacements the privacy pass made in this text, by kind; summed over what is written. */
  redactions?: Readonly<Record<string, number>>;
}

/** Consecutive messages on one side of the dialogue: the owner's (assistant) or everyone else's (user). */
export interface Turn {
  role: Role;
  parts: TurnPart[];
}

/** One training example: a window of one session of one chat. */
export interface Sample {
  chatKey: string;
  chatId: string;
  /** Epoch ms of the session's first message: with the chat id it names the session (val split). */
  sessionStart: number;
  /** Index of this window within its session. */
  window: number;
  group: boolean;
  /** The owner's turn that opened the session, alone: nothing before it to reply to. */
  opener?: true;
  turns: Turn[];
}

export interface ChatTurn {
  role: Role;
  content: string;
}
