// Two URLs name the same endpoint when they are equal once parsed (scheme and host letter case, default port);
// anything that does not parse names nothing.
export function sameUrl(a: string, b: string): boolean {
  if (!URL.canParse(a) || !URL.canParse(b)) return false;
  return new URL(a).href === new URL(b).href;
}
