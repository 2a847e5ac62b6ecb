import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SERVER = path.resolve('server');

/** Every capability folder under server/ and the other folders its files import from. */
function folderImports(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const folder of readdirSync(SERVER).filter((f) => statSync(path.join(SERVER, f)).isDirectory())) {
    const targets = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const file = path.join(dir, entry);
        if (statSync(file).isDirectory()) walk(file);
        else if (file.endsWith('.ts')) {
          for (const m of readFileSync(file, 'utf8').matchAll(/from '((?:\.\.\/)+)([a-z-]+)\//g)) {
            // Resolve against the file, so that a nested folder's '../x/' is read correctly.
            const target = path.relative(SERVER, path.resolve(path.dirname(file), m[1]!, m[2]!)).split(path.sep)[0]!;
            if (target !== folder && !target.startsWith('..')) targets.add(target);
          }
        }
      }
    };
    walk(path.join(SERVER, folder));
    graph.set(folder, targets);
  }
  return graph;
}

/** A cycle among the folders, as a path that returns to its start, or null. */
function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...trail.slice(trail.indexOf(node)), node];
    state.set(node, 'open');
    trail.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

test('dependencies between the folders under server/ point one way: no folder reaches, directly or through others, one that imports it', () => {
  const graph = folderImports();
  expect(graph.get('workflow')).toEqual(expect.any(Set)); // the walk found the folders
  expect(graph.get('publication')?.has('workflow')).toBe(true); // and reads their imports
  expect(findCycle(graph)).toBeNull();
});

test('the cycle finder names a cycle when there is one', () => {
  const graph = new Map([
    ['auth', new Set(['audit'])],
    ['audit', new Set(['db'])],
    ['db', new Set(['auth'])],
  ]);
  expect(findCycle(graph)).toEqual(['auth', 'audit', 'db', 'auth']);
  graph.set('db', new Set());
  expect(findCycle(graph)).toBeNull();
});
