/**
 * Keeps the module structure honest: a folder's index.ts is its only public surface, the
 * dependency direction of STYLE.md holds, and no file-level import cycle exists.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..', '..');

/** Layer of each source folder: a folder may import only folders of a lower layer. */
const layers: Record<string, number> = {
  proto: 0,
  apimachinery: 0,
  store: 1,
  controller: 2,
  auth: 3,
  gateway: 3,
  replicator: 3,
  'member-cluster': 3,
  dns: 3,
  cli: 4,
};
/** Folders that may reach into any source folder's internals (they test or measure them). */
const unrestricted = new Set(['test', 'bench']);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function topFolder(file: string): string {
  return relative(root, file).split(sep)[0] ?? '';
}

/** Relative imports of a file, resolved to .ts paths (generated .js files count as themselves). */
function relativeImports(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
}

const files = [...Object.keys(layers), ...unrestricted]
  .flatMap((folder) => {
    try {
      return sourceFiles(join(root, folder));
    } catch {
      return [];
    }
  })
  .filter((f) => !relative(root, f).split(sep).includes('generated'));

describe('module boundaries', () => {
  it('finds the source files', () => {
    assert.ok(files.length > 5, `only ${files.length} files found under ${root}`);
  });

  it('imports other folders only through their index.ts, in the allowed direction', () => {
    const problems: string[] = [];
    for (const file of files) {
      const from = topFolder(file);
      for (const target of relativeImports(file)) {
        const to = topFolder(target);
        if (to === from || unrestricted.has(from)) continue;
        const where = relative(root, file);
        if (!(to in layers)) {
          problems.push(`${where} imports ${relative(root, target)} outside the source folders`);
          continue;
        }
        if (target !== join(root, to, 'index.ts')) {
          problems.push(`${where} deep-imports ${relative(root, target)} (use ../${to}/index.js)`);
        }
        if ((layers[to] ?? 0) >= (layers[from] ?? 0)) {
          problems.push(`${where} imports ${to}/, against the dependency direction`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('has no import cycles', () => {
    const graph = new Map(files.map((f) => [f, relativeImports(f).filter((t) => files.includes(t))]));
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 'visiting');
      stack.push(f);
      for (const next of graph.get(f) ?? []) {
        if (state.get(next) === 'visiting') {
          cycles.push([...stack.slice(stack.indexOf(next)), next].map((p) => relative(root, p)).join(' -> '));
        } else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    assert.deepEqual(cycles, []);
  });
});
