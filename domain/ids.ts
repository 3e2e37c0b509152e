import { v7 as uuidv7 } from "uuid";

/** Time-ordered ids: sorting by id is sorting by creation time, which gives stable cursors for free. */
export const newId = (): string => uuidv7();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isId = (value: string): boolean => UUID.test(value);

export const cloneStreamId = (cloneId: string): string => `clone-${cloneId}`;
export const ownerStreamId = (ownerId: string): string => `owner-${ownerId}`;
/** Written once, by whichever process first initialises an empty platform. */
export const platformStreamId = "platform-init";
