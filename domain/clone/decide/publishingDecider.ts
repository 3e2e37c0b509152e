import { conflict, invalid } from "../../errors.js";
import { type CommandDeciders, nonNegativeInt, SHA256 } from "./guards.js";

/** A bundle version is recorded once it is packed: only the next version, only after a completed training. */
export const publishingDeciders: CommandDeciders<"PublishClone"> = {
  PublishClone(command, state) {
    if (state.adapterVersion === 0)
      throw conflict("publishing needs a completed training; none has completed yet");
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
          adapterVersion: state.adapterVersion,
          artifactKey: command.artifactKey,
          sha256: command.sha256,
          size: nonNegativeInt("size", command.size),
        },
      },
    ];
  },
};
