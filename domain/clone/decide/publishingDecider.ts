import { conflict, invalid } from "../../errors.js";
import { type CommandDeciders, nonNegativeInt, requireAdapter, SHA256 } from "./guards.js";

/**
 * A bundle version is recorded once it is packed: only the next version, only after a completed training,
 * with the adapter the owner chose (the newest by default). The owner can go back to an earlier bundle:
 * `latest` then installs it until the next publish.
 */
export const publishingDeciders: CommandDeciders<"PublishClone" | "SelectPublishedVersion"> = {
  PublishClone(command, state) {
    if (state.adapterVersion === 0)
      throw conflict("publishing needs a completed training; none has completed yet");
    const adapter = requireAdapter(state, "adapterVersion", command.adapterVersion ?? state.adapterVersion);
    if (command.version !== state.publishedVersion + 1)
      throw conflict(
        `version ${command.version} was packed, but the next version is ${state.publishedVersion + 1} (published meanwhile)`,
      );
    if (!SHA256.test(command.sha256)) throw invalid("sha256", "must be 64 lowercase hex characters");
    if (!command.artifactKey) throw invalid("artifactKey", "must not be empty");
    return [
      {
        type: "ClonePublished",
        data: {
          cloneId: command.cloneId,
          version: command.version,
          adapterVersion: adapter.version,
          artifactKey: command.artifactKey,
          sha256: command.sha256,
          size: nonNegativeInt("size", command.size),
        },
      },
    ];
  },
  SelectPublishedVersion(command, state) {
    if (!Number.isInteger(command.version) || command.version < 1)
      throw invalid("version", "must be a positive integer");
    const bundle = state.published.find((b) => b.version === command.version);
    if (!bundle)
      throw conflict(
        state.published.length === 0
          ? `bundle version ${command.version} does not exist: nothing has been published yet`
          : `bundle version ${command.version} does not exist; this clone has versions 1 to ${state.publishedVersion}`,
      );
    if (state.currentPublishedVersion === bundle.version) return [];
    return [
      {
        type: "PublishedVersionSelected",
        data: { cloneId: command.cloneId, version: bundle.version, adapterVersion: bundle.adapterVersion },
      },
    ];
  },
};
