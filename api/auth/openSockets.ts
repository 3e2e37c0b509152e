/** What the registry needs of a WebSocket: closing it with a code and a reason. */
export interface ClosableSocket {
  close(code: number, reason: string): void;
}

/** Close codes the API uses on graphql-ws sockets (4400–4499: the client's fault, do not retry as is). */
export const socketCloseCodes = {
  /** The socket's API key was revoked (or its owner removed): reconnect with another key. */
  keyRevoked: 4403,
  /** Too many sockets are open without a valid API key. */
  tooManyAnonymous: 4429,
} as const;

/**
 * The graphql-ws sockets open on this API process, by the API key they authenticated with, and those
 * open without a valid key (capped: they can run nothing but cost a socket each). A revocation closes
 * the key's sockets here; another API process's sockets see it at their next operation, which re-checks
 * the key.
 */
export class OpenSockets {
  private readonly byKey = new Map<string, Set<ClosableSocket>>();
  private readonly anonymous = new Set<ClosableSocket>();
  private readonly keyOf = new WeakMap<ClosableSocket, string>();

  constructor(private readonly anonymousMax: number) {}

  /** Records a socket under its key, or as anonymous; false (nothing recorded) when the anonymous cap is reached. */
  admit(socket: ClosableSocket, keyId: string | null): boolean {
    if (keyId === null) {
      if (this.anonymous.size >= this.anonymousMax) return false;
      this.anonymous.add(socket);
      return true;
    }
    let sockets = this.byKey.get(keyId);
    if (!sockets) {
      sockets = new Set();
      this.byKey.set(keyId, sockets);
    }
    sockets.add(socket);
    this.keyOf.set(socket, keyId);
    return true;
  }

  /** Forgets a closed socket. */
  forget(socket: ClosableSocket): void {
    this.anonymous.delete(socket);
    const keyId = this.keyOf.get(socket);
    if (keyId === undefined) return;
    this.keyOf.delete(socket);
    const sockets = this.byKey.get(keyId);
    if (sockets?.delete(socket) && sockets.size === 0) this.byKey.delete(keyId);
  }

  /** Closes (and forgets) every socket of a key. */
  closeKey(keyId: string, reason = "the API key is no longer valid"): void {
    const sockets = this.byKey.get(keyId);
    this.byKey.delete(keyId);
    for (const socket of sockets ?? []) socket.close(socketCloseCodes.keyRevoked, reason);
  }

  get anonymousCount(): number {
    return this.anonymous.size;
  }
}
