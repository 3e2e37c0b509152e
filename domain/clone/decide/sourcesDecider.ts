import { conflict, invalid } from "../../errors.js";
import { nameText } from "../../text.js";
import { cloneLimits } from "../limits.js";
import { type CommandDeciders, requireSystem, SHA256 } from "./guards.js";

/** Uploaded exports: recorded once per archive, inspected once, purged on request. */
export const sourcesDeciders: CommandDeciders<
  "RecordSourceUpload" | "RecordSourceInspection" | "PurgeRawData"
> = {
  RecordSourceUpload(command, state) {
    const fileName = nameText("fileName", command.fileName, { min: 1, max: cloneLimits.fileNameMax });
    if (/[\\/]/.test(fileName)) throw invalid("fileName", "must not contain path separators");
    if (!SHA256.test(command.sha256)) throw invalid("sha256", "must be 64 lowercase hex digits");
    if (!Number.isInteger(command.size) || command.size <= 0)
      throw invalid("size", "must be a positive integer");
    // The same archive uploaded twice is one source: repeat uploads are a no-op, not an error.
    if (state.sources.some((s) => s.sha256 === command.sha256 && !s.purged)) return [];
    if (state.sources.length >= cloneLimits.sourcesMax)
      throw conflict(`a clone holds at most ${cloneLimits.sourcesMax} sources`);
    return [
      {
        type: "SourceUploaded",
        data: {
          cloneId: command.cloneId,
          sourceId: command.sourceId,
          fileName,
          size: command.size,
          sha256: command.sha256,
          artifactKey: command.artifactKey,
          ...(command.contentType ? { contentType: command.contentType } : {}),
        },
      },
    ];
  },
  RecordSourceInspection(command, state) {
    requireSystem(command);
    const source = state.sources.find((s) => s.sourceId === command.sourceId);
    if (!source) throw invalid("sourceId", `unknown source ${command.sourceId}`);
    // A redelivered SourceUploaded inspects again: the first result stands.
    if (source.inspected) return [];
    const inspection = {
      ...command.inspection,
      chats: command.inspection.chats.slice(0, cloneLimits.inspectionListMax),
      participants: command.inspection.participants.slice(0, cloneLimits.inspectionListMax),
    };
    return [
      { type: "SourceInspected", data: { cloneId: command.cloneId, sourceId: command.sourceId, inspection } },
    ];
  },
  PurgeRawData(command, state) {
    const sourceIds = state.sources.filter((s) => !s.purged).map((s) => s.sourceId);
    return sourceIds.length === 0
      ? []
      : [{ type: "RawDataPurged", data: { cloneId: command.cloneId, sourceIds } }];
  },
};
