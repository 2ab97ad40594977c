#!/usr/bin/env node
// Builds the docs site into docs/api: typedoc for every package and entry point (packages/* with
// their typedoc.json entry points), and every guide in docs/*.md plus CONTRIBUTING.md rendered as
// a page of the site (typedoc.json `projectDocuments`: a new guide is picked up by its file name).
// Typedoc's warnings are errors; then every Markdown link and every ts/tsx code block is checked
// (scripts/check-docs.mjs --code).
//
//   node scripts/build-docs.mjs
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDocs } from './check-docs.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(path.join(root, 'node_modules/.bin/typedoc'), ['--logLevel', 'Warn'], {
  cwd: root,
  stdio: 'inherit',
});
const problems = checkDocs({ code: true });
for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
console.log(`docs site written to ${path.join(root, 'docs/api')}`);
