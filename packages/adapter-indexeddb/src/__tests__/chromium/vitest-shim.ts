/**
 * Stands in for `vitest` inside the Chromium bundle: the conformance suite registers its tests with
 * `describe`/`it`/hooks as usual, and the page runs them one at a time when Node asks. Assertions use
 * vitest's own matchers (`@vitest/expect` on chai), so `toEqual` means exactly what it means in Node.
 */
import { chai, JestAsymmetricMatchers, JestChaiExpect, JestExtend } from '@vitest/expect';
import type { Assertion } from 'vitest';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

type Body = () => unknown | Promise<unknown>;
interface TestOptions {
  readonly timeout?: number;
}
interface RegisteredTest {
  readonly name: string;
  readonly body: Body;
  readonly timeoutMs: number;
  readonly suite: Suite;
}
interface Suite {
  readonly beforeAll: Body[];
  readonly afterAll: Body[];
  readonly parent: Suite | undefined;
  started: boolean;
}

const root: Suite = { beforeAll: [], afterAll: [], parent: undefined, started: false };
let currentSuite = root;
let prefix: string[] = [];
const tests = new Map<string, RegisteredTest>();

/** Registers a group of tests; names are joined with ` > ` like vitest's reporter. */
export function describe(name: string, body: () => void): void {
  const suite: Suite = { beforeAll: [], afterAll: [], parent: currentSuite, started: false };
  const [savedSuite, savedPrefix] = [currentSuite, prefix];
  currentSuite = suite;
  prefix = [...prefix, name];
  try {
    body();
  } finally {
    currentSuite = savedSuite;
    prefix = savedPrefix;
  }
}

function register(name: string, a: TestOptions | Body, b?: Body): void {
  const body = typeof a === 'function' ? a : b;
  if (!body) throw new Error(`test ${name} has no body`);
  const timeoutMs = typeof a === 'object' ? (a.timeout ?? 30_000) : 30_000;
  const full = [...prefix, name].join(' > ');
  if (tests.has(full)) throw new Error(`duplicate test name ${full}`);
  tests.set(full, { name: full, body, timeoutMs, suite: currentSuite });
}

/** Registers a test: `it(name, body)` or `it(name, { timeout }, body)`. */
export const it = Object.assign(register, {
  /** Registers the test only when `condition` holds (vitest's `it.runIf`). */
  runIf: (condition: boolean) => (condition ? register : () => {}),
});

/** Runs once before the first test of the enclosing `describe`. */
export function beforeAll(body: Body): void {
  currentSuite.beforeAll.push(body);
}

/** Runs when the page is told the run is over (see {@link finishAll}). */
export function afterAll(body: Body): void {
  currentSuite.afterAll.push(body);
}

/** vitest's `expect`, built from the same chai plugins vitest installs. */
export const expect = <T>(value: T, message?: string): Assertion<T> => {
  assertions++;
  // The plugins above add vitest's matchers to chai's assertion object at runtime.
  return chai.expect(value, message) as unknown as Assertion<T>;
};
let assertions = 0;

/** The part of `vi` the conformance suite uses. */
export const vi = {
  /** Retries `check` until it stops throwing or `timeout` ms pass (then rethrows its last error). */
  async waitFor<T>(
    check: () => T | Promise<T>,
    options: { timeout?: number; interval?: number } = {},
  ): Promise<T> {
    const deadline = Date.now() + (options.timeout ?? 1_000);
    for (;;) {
      try {
        return await check();
      } catch (error) {
        if (Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, options.interval ?? 50));
      }
    }
  },
};

async function start(suite: Suite | undefined): Promise<void> {
  if (!suite || suite.started) return;
  await start(suite.parent);
  suite.started = true;
  for (const hook of suite.beforeAll) await hook();
}

/** The names of every registered test, in registration order. */
export function testNames(): string[] {
  return [...tests.keys()];
}

/** What {@link runTest} reports: success with the number of `expect` calls made, or the error. */
export type TestOutcome = { ok: true; assertions: number } | { ok: false; error: string };

/** Runs one registered test (after its suites' `beforeAll` hooks) and reports the outcome. */
export async function runTest(name: string): Promise<TestOutcome> {
  const test = tests.get(name);
  if (!test) return { ok: false, error: `no test named ${name}` };
  assertions = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await start(test.suite);
    await Promise.race([
      test.body(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${test.timeoutMs} ms`)), test.timeoutMs);
      }),
    ]);
    return { ok: true, assertions };
  } catch (error) {
    return {
      ok: false,
      error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the `afterAll` hooks of every suite that started. */
export async function finishAll(): Promise<void> {
  const started = new Set<Suite>();
  for (const test of tests.values()) {
    for (let s: Suite | undefined = test.suite; s; s = s.parent) if (s.started) started.add(s);
  }
  for (const suite of started) for (const hook of suite.afterAll) await hook();
}
