/** The name the clone calls a Telegram user by: first and last name as they set them. */
export function partnerNameOf(user: {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
}): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ").trim();
  return name || (user.username ? `@${user.username}` : `Telegram user ${user.id}`);
}
