/**
 * Why a message (or a whole chat's messages) did not reach a sample; the dataset report counts each.
 * Message-level reasons come from the message itself, chat-level ones from the chat it is in.
 */
export type MessageDropReason =
  | "forwarded"
  | "service"
  | "media"
  | "voiceNotTranscribed"
  | "sticker"
  | "poll"
  | "location"
  | "contact"
  | "deleted"
  | "unsupported"
  | "unknownMarker"
  | "empty"
  | "unknownAuthor"
  | "viaBot"
  | "tooLong"
  | "turnOverflow"
  | "leadingOwnerTurn"
  | "trailingUserTurn"
  | "excludedContact";

export type ChatSkipReason =
  | "channel"
  | "saved"
  | "bot"
  | "excludedChat"
  | "notIncludedChat"
  | "excludedContact"
  | "notIncludedContact";

/** Why a whole sample was discarded. */
export type SampleDropReason = "noOwnerWords" | "duplicate" | "nearDuplicate";
