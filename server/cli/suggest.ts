// The command an operator most likely meant: the one whose words are the fewest single-character edits away
// from what was typed (Levenshtein distance over the same number of words), the first in the list on a tie.

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The closest of `paths` to the typed words; each path is compared with as many typed words as it has. */
export function closestCommand(typed: readonly string[], paths: readonly (readonly string[])[]): string {
  let best = '';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const path of paths) {
    const candidate = path.join(' ');
    const distance = editDistance(typed.slice(0, path.length).join(' '), candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}
