#!/usr/bin/env node
// Checks every published package as the registry would receive it: packs it with pnpm (running its
// prepack check), then verifies the tarball's package.json holds no `workspace:` range and every
// file its exports map names, and runs publint (strict) and Are the Types Wrong on the tarball
// (profile node16; esm-only for a package without a `require` export, such as @donutauto/testing).
// Peer ranges may admit only release lines the workspace installs and tests (scripts/peer-ranges.mjs).
//
//   node scripts/check-packages.mjs [--keep <dir>]   (--keep leaves the tarballs in <dir>)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { peerRangeProblems } from './peer-ranges.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const keepAt = process.argv.indexOf('--keep');
const out =
  keepAt > 0 ? path.resolve(process.argv[keepAt + 1]) : mkdtempSync(path.join(tmpdir(), 'donutauto-pack-'));
mkdirSync(out, { recursive: true });
const bin = (name) => path.join(root, 'node_modules/.bin', name);
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Published packages: packages/* that are not private. */
export function publishedPackages() {
  return readdirSync(path.join(root, 'packages'))
    .map((dir) => path.join(root, 'packages', dir))
    .filter((dir) => {
      try {
        return !JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).private;
      } catch {
        return false;
      }
    });
}

function exportTargets(entry) {
  if (typeof entry === 'string') return [entry];
  return Object.entries(entry)
    .filter(([condition]) => condition !== '@donutauto/source')
    .flatMap(([, value]) => exportTargets(value));
}

let failed = false;
for (const dir of publishedPackages()) {
  const name = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).name;
  const problems = peerRangeProblems(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')));
  try {
    const before = new Set(readdirSync(out));
    run('pnpm', ['pack', '--pack-destination', out], dir);
    const tarball = path.join(
      out,
      readdirSync(out).find((file) => !before.has(file) && file.endsWith('.tgz')),
    );
    const files = run('tar', ['-tzf', tarball]).split('\n').filter(Boolean);
    const manifest = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json']));
    if (JSON.stringify(manifest).includes('workspace:'))
      problems.push('a workspace: range is left in package.json');
    for (const target of new Set(exportTargets(manifest.exports ?? {}))) {
      if (!files.includes(path.posix.join('package', target)))
        problems.push(`exports names ${target}, not packed`);
    }
    for (const required of ['package/LICENSE', 'package/README.md']) {
      if (!files.includes(required)) problems.push(`${required.slice(8)} not packed`);
    }
    const hasRequire = JSON.stringify(manifest.exports).includes('"require"');
    try {
      run(bin('publint'), ['--strict', tarball], dir);
    } catch (error) {
      problems.push(`publint: ${error.stdout || error.message}`);
    }
    try {
      run(bin('attw'), [tarball, '--profile', hasRequire ? 'node16' : 'esm-only', '--format', 'ascii'], dir);
    } catch (error) {
      problems.push(`attw: ${error.stdout || error.message}`);
    }
  } catch (error) {
    problems.push(`pnpm pack: ${error.stderr || error.message}`);
  }
  failed ||= problems.length > 0;
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name}`);
  for (const problem of problems) console.log(`     ${problem.trim().split('\n').join('\n     ')}`);
}
if (keepAt < 0) rmSync(out, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
