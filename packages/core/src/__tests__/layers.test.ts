import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layers of DESIGN.md: model → csv → import → store/client, updates → client, and the
// segments and campaigns capabilities under the client. A folder may import itself and the folders
// listed for it, never a higher one. `import/` reads the storage contract's types (not the memory
// adapter), and nothing in core imports a Node built-in.
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  errors: [],
  model: ['errors'],
  csv: ['errors', 'model'],
  import: ['errors', 'model', 'csv', 'store/storage-adapter (types)'],
  store: ['errors', 'model'],
  updates: ['errors', 'model'],
  segments: ['errors', 'model', 'store'],
  campaigns: ['errors', 'model', 'store', 'segments', 'updates'],
  client: ['errors', 'model', 'csv', 'import', 'store', 'updates', 'segments', 'campaigns'],
};

const SRC = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__tests__' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every `import … from '…'` and `export … from '…'` of a file, with whether it is type-only. */
function importsOf(file: string): { target: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(import|export)(\s+type)?\s[^;]*?from\s+'([^']+)'/gms)].map((m) => ({
    target: m[3]!,
    typeOnly: m[2] !== undefined,
  }));
}

describe('core layers', () => {
  it('imports only from its own or lower layers, and no Node built-in', () => {
    const broken: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = relative(SRC, file).split('/');
      if (from.length < 2) continue; // index.ts and adapter.ts re-export every layer
      const layer = from[0]!;
      const allowed = ALLOWED[layer];
      if (!allowed) {
        broken.push(`${relative(SRC, file)}: folder "${layer}" has no layer`);
        continue;
      }
      for (const { target, typeOnly } of importsOf(file)) {
        if (target.startsWith('node:')) broken.push(`${relative(SRC, file)} imports ${target}`);
        if (!target.startsWith('.')) continue;
        const to = relative(SRC, join(file, '..', target)).split('/');
        const targetLayer = to[0]!;
        if (targetLayer === layer || allowed.includes(targetLayer)) continue;
        const contract = `${to.slice(0, 2).join('/')} (types)`;
        if (typeOnly && allowed.includes(contract)) continue;
        broken.push(`${relative(SRC, file)} imports ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

/** Relative imports of a file, static (`import … from`) and, when asked, dynamic (`import('…')`). */
function reachable(start: string, dynamic: boolean): Set<string> {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const targets = importsOf(file)
      .filter((i) => !i.typeOnly)
      .map((i) => i.target);
    if (dynamic) targets.push(...[...text.matchAll(/\bimport\('([^']+)'\)/g)].map((m) => m[1]!));
    for (const target of targets) {
      if (target.startsWith('.')) visit(`${join(file, '..', target)}.ts`);
      else bare.add(target);
    }
  };
  visit(join(SRC, start));
  return new Set([...[...seen].map((file) => relative(SRC, file)), ...bare]);
}

describe('the slim entry', () => {
  const HEAVY = [
    'papaparse',
    'p-limit',
    'csv/csv-record-reader.ts',
    'import/import-executor.ts',
    'campaigns/campaign-runner.ts',
  ];

  it('builds a client that reaches no CSV parser, import pipeline or campaign runner, even lazily', () => {
    const graph = reachable('client/slim-client.ts', true);
    expect(graph.has('client/slim-client.ts') && graph.has('store/normalize-filter.ts')).toBe(true);
    expect([...HEAVY, 'client/client-operations.ts'].filter((module) => graph.has(module))).toEqual([]);
  });

  it('loads them only behind the operations’ dynamic imports', () => {
    expect(HEAVY.filter((module) => reachable('slim.ts', false).has(module))).toEqual([]);
    expect(HEAVY.filter((module) => !reachable('slim.ts', true).has(module))).toEqual([]);
  });
});
