/**
 * The one place a binding's state changes: `dispatch(action)` runs the reducer and, when the state
 * object changed, tells React through the `useSyncExternalStore` listeners (TanStack Query's
 * `#dispatch` pattern). `onActive` starts work when the first component subscribes and returns what
 * stops it when the last one leaves, so a store never runs anything during render or on a server.
 */
export interface ExternalStore<S, A> {
  /** `useSyncExternalStore`'s subscribe: starts the store's work on the first subscriber. */
  readonly subscribe: (listener: () => void) => () => void;
  /** The current state; the same object until an action changes it. */
  readonly getSnapshot: () => S;
  /** The first state, for server rendering and hydration. */
  readonly getServerSnapshot: () => S;
  /** Applies an action through the reducer and notifies subscribers of a change. */
  readonly dispatch: (action: A) => void;
}

/**
 * Creates an {@link ExternalStore}.
 * @param initial - The first state (also the server snapshot).
 * @param reduce - Pure reducer; return the same object for "no change".
 * @param onActive - Called when the first listener subscribes; returns the cleanup run when the last leaves.
 * @returns The store.
 */
export function createExternalStore<S, A>(
  initial: S,
  reduce: (state: S, action: A) => S,
  onActive?: () => () => void,
): ExternalStore<S, A> {
  let state = initial;
  const listeners = new Set<() => void>();
  let stop: (() => void) | undefined;
  return {
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1 && onActive) stop = onActive();
      return () => {
        if (!listeners.delete(listener) || listeners.size > 0) return;
        const cleanup = stop;
        stop = undefined;
        cleanup?.();
      };
    },
    getSnapshot: () => state,
    getServerSnapshot: () => initial,
    dispatch(action) {
      const next = reduce(state, action);
      if (Object.is(next, state)) return;
      state = next;
      for (const listener of [...listeners]) listener();
    },
  };
}
