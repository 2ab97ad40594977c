// Peer dependency ranges may allow only what the workspace tests: every major (every 0.minor for
// 0.x) a range admits must be installed somewhere in the workspace (pnpm-lock.yaml), and every range
// needs an upper bound. `^3 || ^4` with only vitest 4 installed is a problem, as is `>=18`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The release line of a version: its major, or `0.minor` below 1.0 (what a caret range spans). */
const line = (major, minor) => (major === 0 ? `0.${minor}` : String(major));

/**
 * The release lines a peer range admits.
 * @param range - A range of the forms used here: `^x.y.z` alternatives, or `>=A <B`.
 * @returns The lines, or `undefined` for a form this check cannot bound (no upper bound, `*`, …).
 */
export function rangeLines(range) {
  const lines = [];
  for (const alternative of range.split('||').map((a) => a.trim())) {
    const caret = /^\^(\d+)(?:\.(\d+))?(?:\.\d+)?$/.exec(alternative);
    const between = /^>=\s*(\d+)(?:\.\d+){0,2}\s+<\s*(\d+)(?:\.0){0,2}$/.exec(alternative);
    if (caret) lines.push(line(Number(caret[1]), Number(caret[2] ?? 0)));
    else if (between && Number(between[1]) > 0) {
      for (let major = Number(between[1]); major < Number(between[2]); major++) lines.push(String(major));
    } else return undefined;
  }
  return lines;
}

/** Release lines of each package the lockfile installs. */
function installedLines() {
  const installed = new Map();
  const lock = readFileSync(path.join(root, 'pnpm-lock.yaml'), 'utf8');
  for (const m of lock.matchAll(/^ {2}'?((?:@[^/@\s]+\/)?[^@\s']+)@(\d+)\.(\d+)\.\d+[^:]*:/gm)) {
    if (!installed.has(m[1])) installed.set(m[1], new Set());
    installed.get(m[1]).add(line(Number(m[2]), Number(m[3])));
  }
  return installed;
}

/**
 * Problems of a package's peer ranges.
 * @param manifest - The package.json.
 * @returns One message per range that admits an untested release line or has no upper bound.
 */
export function peerRangeProblems(manifest) {
  const installed = installedLines();
  const problems = [];
  for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
    const lines = rangeLines(range);
    if (!lines) {
      problems.push(`peer ${name} "${range}": no upper bound (use ^x or >=A <B)`);
      continue;
    }
    const untested = lines.filter((l) => !installed.get(name)?.has(l));
    if (untested.length)
      problems.push(`peer ${name} "${range}" allows ${untested.join(', ')}, not installed in the workspace`);
  }
  return problems;
}
