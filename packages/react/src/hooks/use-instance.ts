import { useState } from 'react';

/**
 * Keeps one object per component for as long as `key` stays the same, and makes a new one when it
 * changes (React's documented "adjust state while rendering" pattern). The objects bindings create
 * here are inert until subscribed, so a render React throws away leaks nothing.
 * @param key - What the object depends on (a client, an id, a serialized query).
 * @param create - Makes the object.
 * @returns The object for `key`.
 */
export function useInstance<K, T>(key: readonly K[], create: () => T): T {
  const [held, setHeld] = useState(() => ({ key, value: create() }));
  if (held.key.length === key.length && held.key.every((k, i) => Object.is(k, key[i]))) return held.value;
  const next = { key, value: create() };
  setHeld(next);
  return next.value;
}
