#!/usr/bin/env node
// Checks the hand-written Markdown (docs/*.md, the READMEs, CONTRIBUTING.md): every relative link
// and every link into this repository on GitHub points at a file that exists (and at a heading that
// exists, when it names one), and every ```ts / ```tsx block type-checks against the packages'
// source, each block as a module of its own, with only PRELUDE (below) in scope besides its own
// imports. Exits 1 on any problem.
//
//   node scripts/check-docs.mjs          links
//   node scripts/check-docs.mjs --code   links and code blocks (what `pnpm docs` and CI run)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The repository on GitHub: absolute links into it (package READMEs use them) are checked locally. */
export const REPOSITORY = 'https://github.com/donutauto/customers';

/** The Markdown files checked: guides, READMEs, CONTRIBUTING.md. */
export function markdownFiles() {
  const files = ['README.md', 'CONTRIBUTING.md'].filter((f) => existsSync(path.join(root, f)));
  for (const dir of ['docs']) {
    for (const f of readdirSync(path.join(root, dir))) if (f.endsWith('.md')) files.push(`${dir}/${f}`);
  }
  for (const parent of ['packages', 'examples']) {
    for (const dir of readdirSync(path.join(root, parent))) {
      if (existsSync(path.join(root, parent, dir, 'README.md'))) files.push(`${parent}/${dir}/README.md`);
    }
  }
  return files.sort();
}

/**
 * The names every code block may use without declaring them: what a reader's app already has at
 * the point a guide's fragment starts. Global declarations, so a block that makes its own `client`
 * shadows this one. Keep it this small; anything else a block uses, it imports or declares.
 */
export const PRELUDE = `// Hidden prelude of the docs' code blocks (scripts/check-docs.mjs).
/** The client the guides call \`client\` (or \`customers\`): createCustomerClient({ adapter, organizationId }). */
declare const client: import('@donutauto/core').CustomerClient;
declare const customers: import('@donutauto/core').CustomerClient;
/** The store the client was made with. */
declare const adapter: import('@donutauto/core').StorageAdapter;
/** A CSV file the merchant picked (an <input type="file">). */
declare const file: File;
/** A customer's id. */
declare const id: string;
`;

/** GitHub's anchor of a heading. */
function slug(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_~]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file) {
  const seen = new Map();
  const anchors = new Set();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Splits a Markdown file into its prose lines and its fenced code blocks. */
function parse(file) {
  const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
  const prose = [];
  const blocks = [];
  let block;
  lines.forEach((line, i) => {
    const fence = /^(\s*)```(\S*)/.exec(line);
    if (fence && !block) {
      block = { lang: fence[2], line: i + 1, text: [] };
    } else if (fence && block && line.trim() === '```') {
      blocks.push({ ...block, text: block.text.join('\n') });
      block = undefined;
    } else if (block) {
      block.text.push(line);
    } else {
      prose.push({ line: i + 1, text: line.replace(/`[^`]*`/g, '') });
    }
  });
  return { prose, blocks };
}

/** Broken links of one file, as `file:line message`. */
function checkLinks(file) {
  const problems = [];
  for (const { line, text } of parse(file).prose) {
    for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      let target = match[1];
      const inRepo = target.match(new RegExp(`^${REPOSITORY}/(?:blob|tree)/main/(.*)$`));
      if (inRepo)
        target = path.relative(path.dirname(path.join(root, file)), path.join(root, inRepo[1])) || '.';
      else if (/^[a-z]+:/i.test(target) || target.startsWith('//')) continue;
      const [filePart, anchor] = target.split('#');
      const resolved =
        filePart === '' ? path.join(root, file) : path.resolve(path.dirname(path.join(root, file)), filePart);
      if (!existsSync(resolved)) {
        problems.push(`${file}:${line} broken link ${match[1]}`);
        continue;
      }
      if (anchor && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor.toLowerCase())) {
        problems.push(`${file}:${line} no heading #${anchor} in ${path.relative(root, resolved)}`);
      } else if (anchor && statSync(resolved).isDirectory()) {
        const readme = path.join(resolved, 'README.md');
        if (existsSync(readme) && anchor !== 'readme' && !anchorsOf(readme).has(anchor)) {
          problems.push(`${file}:${line} no heading #${anchor} in ${path.relative(root, readme)}`);
        }
      }
    }
  }
  return problems;
}

/** Type errors of the ts/tsx blocks of every file, as `file:line message`. */
function checkCodeBlocks(files) {
  const dir = path.join(root, 'node_modules/.cache/check-docs');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'prelude.d.ts'), PRELUDE);
  const origin = new Map();
  let n = 0;
  for (const file of files) {
    for (const block of parse(file).blocks) {
      if (!['ts', 'tsx', 'typescript'].includes(block.lang)) continue;
      const name = `block-${++n}.${block.lang === 'tsx' ? 'tsx' : 'ts'}`;
      // `export {}` makes every block a module: top-level await works and names do not collide.
      writeFileSync(path.join(dir, name), `${block.text}\nexport {};\n`);
      origin.set(name, { file, line: block.line });
    }
  }
  // The blocks import the packages by name (resolved to their source) and their peers (resolved in
  // the workspace packages and examples that install them).
  const paths = {};
  for (const pkgDir of readdirSync(path.join(root, 'packages'))) {
    const file = path.join(root, 'packages', pkgDir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      if (typeof target === 'object' && target['@donutauto/source']) {
        paths[path.posix.join(pkg.name, subpath)] = [
          path.join(root, 'packages', pkgDir, target['@donutauto/source']),
        ];
      }
    }
  }
  // A package's `@types/*` comes first, as TypeScript's own lookup would take it.
  paths['*'] = [
    'packages/react',
    'examples/react-app',
    'packages/adapter-indexeddb',
    'packages/adapter-postgres',
    'packages/server',
    'examples/server-hono',
    '.',
  ].flatMap((d) => [path.join(root, d, 'node_modules/@types/*'), path.join(root, d, 'node_modules/*')]);
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../../tsconfig.base.json',
      compilerOptions: {
        noEmit: true,
        types: ['node'],
        noUnusedLocals: false,
        noUnusedParameters: false,
        paths,
      },
      include: ['*.ts', '*.tsx'],
    }),
  );
  try {
    execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', dir, '--pretty', 'false'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return [];
  } catch (error) {
    return String(error.stdout)
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        const m = /block-(\d+)\.tsx?\((\d+),\d+\): (.*)$/.exec(l);
        if (!m) return l;
        const { file, line } = origin.get(l.match(/block-\d+\.tsx?/)[0]);
        return `${file}:${line + Number(m[2])} ${m[3]}`;
      });
  }
}

/**
 * Runs every check.
 * @returns The problems found, empty when the docs are sound.
 */
export function checkDocs({ code = false } = {}) {
  const files = markdownFiles();
  return [...files.flatMap(checkLinks), ...(code ? checkCodeBlocks(files) : [])];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = checkDocs({ code: process.argv.includes('--code') });
  for (const problem of problems) console.error(problem);
  console.log(`${markdownFiles().length} Markdown files: ${problems.length} problem(s)`);
  process.exit(problems.length ? 1 : 0);
}
