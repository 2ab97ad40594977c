#!/usr/bin/env node
// The public API of every package, as its built declarations state it, checked in as
// packages/<name>/api-report.md: each entry's exported names with their declarations (comments
// removed), then the declarations they reference without exporting. A change to the API shows up
// as a diff of that file in review.
//
//   node scripts/api-report.mjs           compare with the checked-in reports; exit 1 with a diff
//   node scripts/api-report.mjs --update  rewrite them
//
// Reads packages/*/package.json `exports` (every entry but ./package.json) and the `types` file of
// each, so new packages and entries are covered without changes here. Run `pnpm build` first.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const update = process.argv.includes('--update');
const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

/** The types file of each export entry of a package (the `import` condition's, else the top one). */
function entriesOf(dir, pkg) {
  return Object.entries(pkg.exports ?? { '.': { types: pkg.types } })
    .filter(([subpath]) => subpath !== './package.json')
    .map(([subpath, conditions]) => {
      const types =
        typeof conditions === 'object' ? (conditions.import?.types ?? conditions.types) : undefined;
      if (typeof types !== 'string') throw new Error(`${pkg.name} "${subpath}" has no types file`);
      return {
        name: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
        file: resolve(dir, types),
      };
    });
}

/** The statement to print for a declaration (a variable's whole `declare const` line). */
function statementOf(node) {
  return ts.isVariableDeclaration(node) ? node.parent.parent : node;
}

function declarationsOf(checker, symbol) {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  return { target, declarations: target.declarations ?? [] };
}

/** Symbols of the package's own declaration files that a node refers to by name. */
function referencedSymbols(checker, node, inPackage) {
  const found = new Set();
  const visit = (child) => {
    if (
      ts.isIdentifier(child) &&
      (ts.isTypeReferenceNode(child.parent) ||
        ts.isExpressionWithTypeArguments(child.parent) ||
        ts.isTypeQueryNode(child.parent) ||
        ts.isQualifiedName(child.parent))
    ) {
      let symbol = checker.getSymbolAtLocation(child);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const own = symbol?.declarations?.some((d) => inPackage(d.getSourceFile().fileName));
      if (own && !(symbol.flags & ts.SymbolFlags.TypeParameter)) found.add(symbol);
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

function print(node) {
  return printer.printNode(ts.EmitHint.Unspecified, statementOf(node), node.getSourceFile()).trim();
}

/** The markdown report of one package. */
function reportOf(dir, pkg) {
  const entries = entriesOf(dir, pkg);
  for (const entry of entries) {
    if (!existsSync(entry.file))
      throw new Error(`${relative(ROOT, entry.file)} is missing: run \`pnpm build\` first`);
  }
  const program = ts.createProgram(
    entries.map((e) => e.file),
    {
      noEmit: true,
      skipLibCheck: true,
      types: [],
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2022,
    },
  );
  const checker = program.getTypeChecker();
  const inPackage = (file) => resolve(file).startsWith(resolve(dir));
  const lines = [
    `# API report: ${pkg.name}`,
    '',
    'Generated from the built declarations by `pnpm api:update`; CI fails when it differs from the',
    'build (`pnpm api:check`). Review changes here as changes to the public API; do not edit by hand.',
  ];
  for (const entry of entries) {
    const source = program.getSourceFile(entry.file);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`cannot read the exports of ${relative(ROOT, entry.file)}`);
    const exported = checker.getExportsOfModule(module).sort((a, b) => a.name.localeCompare(b.name));
    const exportedTargets = new Set(exported.map((symbol) => declarationsOf(checker, symbol).target));
    lines.push(
      '',
      `## \`${entry.name}\``,
      '',
      `${exported.length} exports: ${exported.map((s) => `\`${s.name}\``).join(', ')}.`,
      '',
      '```ts',
    );
    const pending = [];
    for (const symbol of exported) {
      const { target, declarations } = declarationsOf(checker, symbol);
      if (symbol.name !== target.name) lines.push(`// exported as ${symbol.name}`);
      for (const declaration of declarations) {
        if (!inPackage(declaration.getSourceFile().fileName)) {
          lines.push(
            `// ${symbol.name}: re-exported from ${sourceLabel(declaration.getSourceFile().fileName)}`,
          );
          continue;
        }
        lines.push(print(declaration));
        pending.push(...referencedSymbols(checker, declaration, inPackage));
      }
    }
    lines.push('```');
    // Types the exports use without exporting them are part of the API too.
    const internal = new Map();
    while (pending.length > 0) {
      const symbol = pending.pop();
      if (exportedTargets.has(symbol) || internal.has(symbol)) continue;
      internal.set(
        symbol,
        symbol.declarations.filter((d) => inPackage(d.getSourceFile().fileName)),
      );
      for (const declaration of internal.get(symbol))
        pending.push(...referencedSymbols(checker, declaration, inPackage));
    }
    if (internal.size > 0) {
      const sorted = [...internal].sort(([a], [b]) => a.name.localeCompare(b.name));
      lines.push('', 'Referenced, not exported:', '', '```ts');
      for (const [, declarations] of sorted)
        for (const declaration of declarations) lines.push(print(declaration));
      lines.push('```');
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A line diff (longest common subsequence), `-` for the checked-in report and `+` for the build. */
function diff(before, after) {
  const a = before.split('\n');
  const b = after.split('\n');
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1]))
      out.push(`${i + 1}: - ${a[i++]}`);
    else out.push(`${i + 1}: + ${b[j++]}`);
  }
  return out.join('\n');
}

let failed = false;
for (const name of readdirSync(join(ROOT, 'packages')).sort()) {
  const dir = join(ROOT, 'packages', name);
  const pkgFile = join(dir, 'package.json');
  if (!existsSync(pkgFile)) continue;
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  if (!pkg.exports && !pkg.types) continue;
  const file = join(dir, 'api-report.md');
  const report = reportOf(dir, pkg);
  if (update) {
    writeFileSync(file, report);
    console.log(`wrote ${relative(ROOT, file)}`);
    continue;
  }
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (current === report) continue;
  failed = true;
  console.error(`${relative(ROOT, file)} differs from the built API (run \`pnpm api:update\` and review):`);
  console.error(diff(current, report));
}
if (failed) process.exit(1);
if (!update) console.log('API reports match the built declarations.');

/** Names a declaration's file without the checkout's absolute path, so reports match on every clone. */
function sourceLabel(fileName) {
  return fileName.includes('node_modules/')
    ? fileName.split('node_modules/').pop()
    : relative(ROOT, fileName);
}
