import { conflict, DomainError } from "../../errors.js";
import { nameText } from "../../text.js";
import { cloneLimits } from "../limits.js";
import type { CommandDeciders } from "./guards.js";

/** A clone comes into being for its owner and is deleted (a tombstone: nothing is accepted after). */
export const existenceDeciders: CommandDeciders<"CreateClone" | "DeleteClone"> = {
  CreateClone(command, state) {
    if (state.exists) throw conflict(`clone ${command.cloneId} already exists`);
    if (command.actor.kind !== "owner")
      throw new DomainError("FORBIDDEN", "only an owner can create a clone");
    const name = nameText("name", command.name, { min: 1, max: cloneLimits.nameMax });
    return [
      { type: "CloneCreated", data: { cloneId: command.cloneId, ownerId: command.actor.ownerId, name } },
    ];
  },
  DeleteClone: (command) => [{ type: "CloneDeleted", data: { cloneId: command.cloneId } }],
};
