import { describe, expect, it } from 'vitest';
import { type EntryAction, type EntryState, INITIAL_ENTRY, reduceEntry } from '../update-entry';

const apply = (...actions: EntryAction[]): EntryState => actions.reduce(reduceEntry, INITIAL_ENTRY);
const edit = (field: 'firstName' | 'notes', value: unknown, at = 1): EntryAction => ({
  type: 'edit',
  field,
  value,
  at,
});

describe('reduceEntry', () => {
  it('queues edits, newest value per field, and counts them', () => {
    const state = apply(edit('firstName', 'A', 10), edit('notes', 'x', 20), edit('firstName', 'B', 30));
    expect([...state.pending]).toEqual([
      ['firstName', 'B'],
      ['notes', 'x'],
    ]);
    expect(state).toMatchObject({ editSeq: 3, lastSetAt: 30, windowStart: 10 });
  });

  it('sends everything pending at once, and nothing when nothing is pending', () => {
    const sent = apply(
      edit('firstName', 'A'),
      { type: 'timer', timer: 'debounce' },
      { type: 'due' },
      { type: 'send' },
    );
    expect(sent).toMatchObject({
      inFlight: new Map([['firstName', 'A']]),
      sentSeq: 1,
      due: false,
      timer: null,
    });
    expect(sent.pending.size).toBe(0);
    expect(apply({ type: 'due' }, { type: 'send' })).toEqual({ ...INITIAL_ENTRY, due: false });
  });

  it('puts a failed save back under the edits made meanwhile', () => {
    const state = apply(
      edit('firstName', 'A'),
      edit('notes', 'old'),
      { type: 'send' },
      edit('notes', 'new'),
      { type: 'failed', error: 'boom' },
      { type: 'attemptFailed', error: 'boom' },
    );
    expect([...state.pending]).toEqual([
      ['firstName', 'A'],
      ['notes', 'new'],
    ]);
    expect(state).toMatchObject({ inFlight: null, failedAttempts: 1, error: 'boom', savedSeq: 0 });
  });

  it('stores the sent edits on success and forgets the failures', () => {
    const state = apply(
      edit('firstName', 'A'),
      { type: 'send' },
      { type: 'failed', error: 'x' },
      { type: 'reloading' },
      { type: 'reloaded' },
      { type: 'send' },
      { type: 'saved' },
    );
    expect(state).toMatchObject({
      inFlight: null,
      savedSeq: 1,
      failedAttempts: 0,
      conflictReloads: 0,
      error: undefined,
    });
  });

  it('wakes a parked customer with a fresh retry budget on the next edit or resume', () => {
    const parked = apply(
      edit('firstName', 'A'),
      { type: 'send' },
      { type: 'failed', error: 'e' },
      { type: 'attemptFailed', error: 'e' },
      { type: 'park' },
    );
    expect(parked).toMatchObject({ parked: true, failedAttempts: 1, error: 'e' });
    expect(reduceEntry(parked, edit('notes', 'n'))).toMatchObject({ parked: false, failedAttempts: 0 });
    expect(reduceEntry(parked, { type: 'resume' })).toMatchObject({ parked: true, failedAttempts: 0 });
  });

  it('returns the same state for an action that changes nothing', () => {
    const state = apply({ type: 'timer', timer: 'debounce' }, { type: 'due' });
    expect(reduceEntry(state, { type: 'timer', timer: 'debounce' })).toBe(state);
    expect(reduceEntry(state, { type: 'due' })).toBe(state);
  });
});
