#!/usr/bin/env node
// The IndexedDB adapter's tests run the conformance suite in real headless Chromium (Debian's
// `chromium` package; a browser is never downloaded). Installs it with apt-get when it is absent.
import { execFileSync, execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const hasAptGet = (() => {
  try {
    execSync('command -v apt-get', { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!hasAptGet) {
  console.error(
    `Chromium is missing at ${path} and apt-get is not available: install Chromium and set CHROMIUM_PATH.`,
  );
  process.exit(1);
}
const sudo = isRoot ? [] : ['sudo'];
console.log('Installing Debian chromium for the browser tests (apt-get install -y chromium)…');
const run = (args) =>
  execFileSync(sudo.length ? 'sudo' : args[0], sudo.length ? args : args.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
run(['apt-get', 'update', '-qq']);
run(['apt-get', 'install', '-y', '-qq', 'chromium']);
if (!existsSync(path)) {
  console.error(`apt-get finished but ${path} is still missing.`);
  process.exit(1);
}
