import type { AccountOwner } from "../../model/conversation.js";
import { isJsonObject, type JsonValue } from "../json/index.js";

/** `personal_information` → the account owner, with the same `user<N>` id messages use; null if unusable. */
export function accountOwnerOf(value: JsonValue): AccountOwner | null {
  if (!isJsonObject(value)) return null;
  const userId = value.user_id;
  if (
    !(typeof userId === "number" && Number.isInteger(userId)) &&
    !(typeof userId === "string" && /^\d+$/.test(userId))
  ) {
    return null;
  }
  const parts = [value.first_name, value.last_name].filter(
    (p): p is string => typeof p === "string" && p !== "",
  );
  return { id: `user${userId}`, name: parts.length > 0 ? parts.join(" ") : null };
}
