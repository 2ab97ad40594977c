import type { CustomerPatch } from '@donutauto/core';

/** The part of the Web Storage API the stash uses (`sessionStorage` by default). */
export type StashStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * Keeps a customer's unsaved edits in synchronous storage while the page goes away. A save started
 * on `pagehide` may not finish before the page is gone (an IndexedDB transaction dies with its
 * document), so the edits are written here first and re-applied when the editor opens again.
 */
export interface PendingStash {
  /** Stores the edits (replacing earlier ones); an empty patch clears. */
  save(patch: CustomerPatch): void;
  /** Reads and removes the stored edits. */
  take(): CustomerPatch | undefined;
  /** Removes the stored edits, if any were stored by this stash. */
  clear(): void;
}

/**
 * Creates the stash of one customer's edits.
 * @param storage - Where to keep them; `undefined` turns the stash off.
 * @param key - The storage key (organization and customer).
 * @returns The stash. Storage failures (quota, disabled storage) are ignored: saving goes on as usual.
 */
export function createPendingStash(storage: StashStorage | undefined, key: string): PendingStash {
  let held = false;
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch {
      return undefined;
    }
  };
  return {
    save(patch) {
      if (!storage) return;
      if (Object.keys(patch).length === 0) return this.clear();
      attempt(() => storage.setItem(key, JSON.stringify(patch)));
      held = true;
    },
    take() {
      const text = storage ? attempt(() => storage.getItem(key)) : undefined;
      if (text == null) return undefined;
      attempt(() => storage?.removeItem(key));
      const patch = attempt(() => JSON.parse(text) as unknown);
      return typeof patch === 'object' && patch !== null && !Array.isArray(patch)
        ? (patch as CustomerPatch)
        : undefined;
    },
    clear() {
      if (!held) return;
      held = false;
      attempt(() => storage?.removeItem(key));
    },
  };
}

/**
 * The browser's `sessionStorage` (per tab, kept across reloads), or `undefined` where there is none
 * or reading it throws (sandboxed frames, disabled storage).
 * @returns The storage or `undefined`.
 */
export function sessionStash(): StashStorage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}
