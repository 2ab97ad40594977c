import { createExternalStore, type ExternalStore } from './external-store';
import { type FieldErrors, fieldErrorsOf } from './field-errors';

/** Where a mutation is: `idle` before the first call, `pending` while any call runs, then the last call's outcome. */
export type MutationStatus = 'idle' | 'pending' | 'success' | 'error';

/** A mutation's state. */
export interface MutationState<T> {
  /** Where it is. */
  readonly status: MutationStatus;
  /** The last successful call's result. */
  readonly data: T | undefined;
  /** The last failed call's error (a `CustomerError` for the client's typed errors). */
  readonly error: unknown;
  /** That error's field problems by field path (`email`, `customFields.tier`). */
  readonly fieldErrors: FieldErrors;
  /** Keys (ids) of the calls still running. */
  readonly pending: readonly string[];
}

type Action<T> =
  | { readonly type: 'start'; readonly key: string }
  | { readonly type: 'done'; readonly key: string; readonly latest: boolean; readonly data: T }
  | { readonly type: 'failed'; readonly key: string; readonly latest: boolean; readonly error: unknown }
  | { readonly type: 'reset' };

const IDLE: MutationState<never> = {
  status: 'idle',
  data: undefined,
  error: undefined,
  fieldErrors: {},
  pending: [],
};

/** A mutation (add, delete) with its state, per component. */
export interface Mutation<A, T> extends ExternalStore<MutationState<T>, Action<T>> {
  /** Runs it; resolves to the result, or `undefined` when it failed (the error is in the state). */
  run(arg: A): Promise<T | undefined>;
  /** Back to `idle`. */
  reset(): void;
}

/**
 * Creates a mutation: each call is tracked under a key; the newest call decides `status`, `data`
 * and `error`, like TanStack Query's `useMutation`.
 * @param perform - The work, e.g. `(input) => client.add(input)`.
 * @param keyOf - Names a call (for `pending`). @defaultValue a counter
 * @returns The mutation.
 */
export function createMutation<A, T>(
  perform: (arg: A) => Promise<T>,
  keyOf?: (arg: A) => string,
): Mutation<A, T> {
  let calls = 0;
  const store = createExternalStore<MutationState<T>, Action<T>>(IDLE, (state, action) => {
    const pending = 'key' in action ? state.pending.filter((k) => k !== action.key) : [];
    switch (action.type) {
      case 'start':
        return { ...state, status: 'pending', pending: [...pending, action.key] };
      case 'done':
        if (!action.latest) return { ...state, pending };
        return {
          status: pending.length ? 'pending' : 'success',
          data: action.data,
          error: undefined,
          fieldErrors: {},
          pending,
        };
      case 'failed':
        if (!action.latest) return { ...state, pending };
        return {
          ...state,
          status: pending.length ? 'pending' : 'error',
          error: action.error,
          fieldErrors: fieldErrorsOf(action.error),
          pending,
        };
      case 'reset':
        return IDLE;
    }
  });
  return {
    ...store,
    async run(arg) {
      const call = ++calls;
      const key = keyOf ? keyOf(arg) : String(call);
      store.dispatch({ type: 'start', key });
      try {
        const data = await perform(arg);
        store.dispatch({ type: 'done', key, latest: call === calls, data });
        return data;
      } catch (error) {
        store.dispatch({ type: 'failed', key, latest: call === calls, error });
        return undefined;
      }
    },
    reset: () => store.dispatch({ type: 'reset' }),
  };
}
