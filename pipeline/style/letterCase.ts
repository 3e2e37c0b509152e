/** Whether the first letter is lowercase; null when the text has no cased letter to judge by. */
export function startsLowercase(text: string): boolean | null {
  const first = /\p{L}/u.exec(text)?.[0];
  if (first === undefined) return null;
  if (/\p{Ll}/u.test(first)) return true;
  if (/\p{Lu}|\p{Lt}/u.test(first)) return false;
  return null;
}
