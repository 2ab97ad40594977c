#!/usr/bin/env node
// `prepack` of every published package (run by `pnpm pack`, `pnpm publish`, `changeset publish`, and
// by npm): refuses to pack a package whose build output is missing, and refuses npm, which would
// copy `workspace:` ranges into the tarball as they are (pnpm replaces them with real versions).
import { existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const problems = [];

const agent = process.env.npm_config_user_agent ?? '';
const workspaceRanges = ['dependencies', 'peerDependencies', 'optionalDependencies']
  .flatMap((field) => Object.entries(pkg[field] ?? {}))
  .filter(([, range]) => String(range).startsWith('workspace:'));
if (workspaceRanges.length > 0 && !agent.startsWith('pnpm/')) {
  problems.push(
    `${workspaceRanges.map(([name, range]) => `${name}@${range}`).join(', ')} would be packed as written: ` +
      'pack and publish with pnpm (`pnpm pack`, `pnpm release`), which replaces workspace: ranges with versions',
  );
}

/** Every file the exports map points at (conditions other than the in-repo source one). */
function targets(entry) {
  if (typeof entry === 'string') return [entry];
  return Object.entries(entry)
    .filter(([condition]) => condition !== '@donutauto/source')
    .flatMap(([, value]) => targets(value));
}
const missing = [...new Set(targets(pkg.exports ?? {}))].filter((file) => !existsSync(file));
if (missing.length > 0)
  problems.push(`build output missing (run \`pnpm build\` first): ${missing.join(', ')}`);

if (problems.length > 0) {
  for (const problem of problems) console.error(`${pkg.name}: ${problem}`);
  process.exit(1);
}
