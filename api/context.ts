import type { AuthPrincipal } from "./auth/authenticator.js";
import { unauthenticated } from "./errors.js";
import type { BlindTestService } from "./services/blindTestService.js";
import type { CloneService } from "./services/cloneService.js";
import type { CorrectionsService } from "./services/correctionsService.js";
import type { OwnerService } from "./services/ownerService.js";
import type { PreviewService } from "./services/previewService.js";
import type { UpdateFeed } from "./subscriptions/updateFeed.js";

export interface ApiServices {
  clones: CloneService;
  owners: OwnerService;
  feed: UpdateFeed;
  /** Preview replies of trained adapter versions (the `preview` role answers them over the bus). */
  preview: PreviewService;
  /** The blind test: held-out validation samples, the real reply and the clone's side by side. */
  blindTest: BlindTestService;
  /** The owner's corrections: preview replies rewritten, corrections files imported, the list. */
  corrections: CorrectionsService;
  /** The platform's address as users reach it (install commands, download links). */
  publicUrl: string;
  /** The public key of the platform's install-signing key (SPKI DER, base64): install commands pin it. */
  platformKey: string;
  /** The base models training accepts, and whether this platform's trainer has each one's weights. */
  baseModels: () => BaseModelInfo[];
}

export interface BaseModelInfo {
  name: string;
  description: string;
  /** The weights are on the machine of the platform's local trainer (others need a remote GPU worker that has them). */
  availableLocally: boolean;
  testOnly: boolean;
  isDefault: boolean;
  /** ISO 639-1 codes of the languages the model serves; empty for a test model. */
  languages: string[];
  /** The registry pins a sha256 computed from the file itself. */
  checksumVerified: boolean;
  /** Parameter count; null when the registry does not know it. */
  parameters: number | null;
  /** The platform's trainer can train it (trainer-gateway/trainability.ts); else why not. */
  trainableHere: boolean;
  untrainableReason: "NEEDS_GPU" | "NOT_ENOUGH_MEMORY" | null;
  /** Memory a run needs on the trainer's device; null when unknown. */
  requiredMemoryBytes: number | null;
}

export interface ApiContext {
  principal: AuthPrincipal | null;
  services: ApiServices;
}

export function requirePrincipal(context: ApiContext): AuthPrincipal {
  if (!context.principal) throw unauthenticated();
  return context.principal;
}
