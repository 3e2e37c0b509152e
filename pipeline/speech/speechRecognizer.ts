/**
 * The port the pipeline transcribes voice notes through. A recognizer is configured with a local speech
 * model (none is bundled: `pipeline.speechModel`, `aiclone dataset build --speech-model`); without one, voice
 * notes are counted as `voiceNotTranscribed` drops in the dataset report.
 */
export interface SpeechRecognizer {
  /** The words spoken in the audio file at `path` (an Ogg Opus voice note), trimmed; empty when none. */
  transcribe(path: string, signal?: AbortSignal): Promise<string>;
}

/** What a build did with voice notes: stats.json's `speech`. */
export interface SpeechCounts {
  /** The owner's voice notes whose words became the owner's turn. */
  ownerTranscribed: number;
  /** Contacts' voice notes attached to their message as context (`[голосовое: …]`). */
  contactsTranscribed: number;
  /** Voice notes the recognizer heard no words in. */
  withoutWords: number;
  /** Voice notes the export names but does not contain (not exported, or a loose chat file). */
  missing: number;
  failed: number;
}

export const emptySpeechCounts = (): SpeechCounts => ({
  ownerTranscribed: 0,
  contactsTranscribed: 0,
  withoutWords: 0,
  missing: 0,
  failed: 0,
});
