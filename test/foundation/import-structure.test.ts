// The house's structure as its imports draw it: between the folders of server/, no circle, and nothing imports the
// composition root (server/runtime/) but the entry point. Type-only imports are left out: they vanish when the
// code runs, and the ground floor's context names the parts it carries by their types.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const SERVER = 'server';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** The folder of server/ a file lives in, or the ground floor for the files at its top. */
function folderOf(file: string): string {
  const parts = path.relative(SERVER, file).split(path.sep);
  return parts.length > 1 ? parts[0]! : '(ground floor)';
}

/** The server files a file imports at run time (`import type` and `export type` left out). */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8').replace(/(?:import|export) type[^;]*;/g, '');
  return [...source.matchAll(/(?:import|export)[^'";]*?from\s+'(\.[^']+)'/g)]
    .map((match) => path.normalize(path.join(path.dirname(file), match[1]!)))
    .filter((target) => target.startsWith(`${SERVER}${path.sep}`));
}

/** folder → the folders it imports, with one file that shows each edge. */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SERVER)) {
    for (const target of runtimeImports(file)) {
      const [from, to] = [folderOf(file), folderOf(target)];
      if (from === to) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      graph.get(from)!.set(to, `${file} → ${target}`);
    }
  }
  return graph;
}

function circles(graph: Map<string, Map<string, string>>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const trail: string[] = []; // the folders from the start of this walk to the current one
  const visit = (folder: string) => {
    trail.push(folder);
    for (const next of graph.get(folder)?.keys() ?? []) {
      const at = trail.indexOf(next);
      if (at >= 0) found.push([...trail.slice(at), next]);
      else if (!done.has(next)) visit(next);
    }
    trail.pop();
    done.add(folder);
  };
  for (const folder of graph.keys()) if (!done.has(folder)) visit(folder);
  return found;
}

test('the folders of server/ import each other in no circle', () => {
  const graph = folderGraph();
  const described = circles(graph).map((circle) =>
    circle.slice(1).map((to, i) => graph.get(circle[i]!)!.get(to)!).join('\n  then '),
  );
  assert.deepEqual(described, [], `import circles:\n  ${described.join('\n\n  ')}`);
});

test('nothing in server/ imports the composition root but its own folder', () => {
  const importers = [...folderGraph()].filter(([, targets]) => targets.has('runtime')).map(([, targets]) => targets.get('runtime'));
  assert.deepEqual(importers, []);
});

test('the check sees the imports it judges', () => {
  // Guards against a pattern that matches nothing (and so finds no circle): known edges must be seen.
  const graph = folderGraph();
  assert.ok(graph.get('runtime')?.has('http'), 'runtime imports http');
  assert.ok(graph.get('enrollment')?.has('sessions'), 'enrollment imports sessions');
  assert.ok(graph.get('login')?.has('enrollment'), 'login imports enrollment');
});
