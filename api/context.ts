import type { AuthPrincipal } from "./auth/authenticator.js";
import { unauthenticated } from "./errors.js";
import type { CloneService } from "./services/cloneService.js";
import type { OwnerService } from "./services/ownerService.js";
import type { UpdateFeed } from "./subscriptions/updateFeed.js";

export interface ApiServices {
  clones: CloneService;
  owners: OwnerService;
  feed: UpdateFeed;
  /** The platform's address as users reach it (install commands, download links). */
  publicUrl: string;
}

export interface ApiContext {
  principal: AuthPrincipal | null;
  services: ApiServices;
}

export function requirePrincipal(context: ApiContext): AuthPrincipal {
  if (!context.principal) throw unauthenticated();
  return context.principal;
}
