#!/usr/bin/env node
// Builds the packages when a published package's build output is missing or older than its source:
// the examples (and the example app's end-to-end test) run on the built packages, as an adopter's
// app does.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The newest modification time under `dir` (0 when it does not exist). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      latest = Math.max(latest, statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return latest;
}

const stale = readdirSync(path.join(root, 'packages')).filter((dir) => {
  const pkgFile = path.join(root, 'packages', dir, 'package.json');
  if (!existsSync(pkgFile) || JSON.parse(readFileSync(pkgFile, 'utf8')).private) return false;
  const main = path.join(root, 'packages', dir, 'dist/index.js');
  return !existsSync(main) || statSync(main).mtimeMs < newest(path.join(root, 'packages', dir, 'src'));
});
if (stale.length > 0) {
  console.log(`── building the packages (${stale.join(', ')} not built or older than the source)`);
  execFileSync('pnpm', ['build'], { cwd: root, stdio: 'inherit' });
}
