/**
 * Keeps a "typing…" status up while a reply is generated: Telegram shows one for about 5 seconds, so it
 * is sent again every few seconds until stopped. Failures are ignored: typing is cosmetic.
 */
export const TYPING_REPEAT_MS = 4000;

export function keepTyping(send: () => Promise<unknown>, repeatMs = TYPING_REPEAT_MS): () => void {
  const fire = () => void send().catch(() => {});
  fire();
  const timer = setInterval(fire, repeatMs);
  return () => clearInterval(timer);
}
