export { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from "./archiveLimits.js";
export { lookupPath, normalizeExportPath } from "./exportPath.js";
export { isArchiverJunk, isMediaFileName, isNestedArchiveName } from "./mediaFileNames.js";
export { type OpenExportSourceOptions, openExportSource } from "./openExportSource.js";
export { hasSkippedInputs, type OpenedExportSource } from "./openedExportSource.js";
export { HEAD_BYTES, readHead } from "./readHead.js";
