import type {
  ConsentInput,
  ConsentPatch,
  Customer,
  CustomerError,
  CustomerPatch,
  CustomFieldValue,
  EditableField,
  UpdateState,
  UpdateStatus,
} from '@donutauto/core';
import { EDITABLE_FIELDS } from '@donutauto/core';
import { type FieldErrors, fieldErrorsOf } from './field-errors';

// The editor session's state and its pure reducer: what the form shows, drafts, conflicts. The
// session (editor-session.ts) wires it to core's editor, the change events and the page lifecycle.

/**
 * A form value of one editable field: text (`''` for none), a list of text, the custom fields, or
 * the consent channels (setting some channels keeps the others).
 */
export type CustomerFormValue<F extends EditableField> = F extends 'preferences' | 'tags'
  ? readonly string[]
  : F extends 'customFields'
    ? Readonly<Record<string, CustomFieldValue>>
    : F extends 'consent'
      ? ConsentInput
      : string;

/** Every editable field as a form shows it. */
export type CustomerFormValues = { readonly [F in EditableField]: CustomerFormValue<F> };

/** One field someone else changed while it had unsaved edits here. */
export interface FieldConflict {
  /** The field. */
  readonly field: EditableField;
  /** What was typed here (it is what gets saved). */
  readonly mine: CustomerFormValue<EditableField>;
  /** What the other writer stored. */
  readonly theirs: CustomerFormValue<EditableField>;
}

/** Fields changed elsewhere while they were being edited here, with the customer as the other writer left it. */
export interface EditorConflict {
  /** The fields, each with both values. */
  readonly fields: readonly FieldConflict[];
  /** The stored customer that showed the other change. */
  readonly customer: Customer;
}

/** The editor's status as shown: `loading` until the customer is read, then the save state (see `UpdateState`). */
export type EditorStatus = 'loading' | UpdateState;

/** How a field edited here relates to what is stored (keys are JSON of normalized values). */
interface FieldTrack {
  /** What the user typed, as typed. */
  readonly draft: unknown;
  /** The stored value this edit started from or last agreed with; `undefined` before the first read. */
  readonly expected: string | undefined;
  /** Values typed here (normalized): a stored one of these is this editor's own save. */
  readonly mine: ReadonlySet<string>;
  /** The newest value typed here (normalized). */
  readonly latest: string | undefined;
}

/** The session's state: what the hook returns, plus what it is derived from. */
export interface EditorSessionState {
  /** The newest stored customer the editor knows. */
  readonly customer: Customer | undefined;
  /** Every editable field: what was typed here, else the stored value. */
  readonly values: CustomerFormValues;
  /** The save status, with "saving" held for the minimum time. */
  readonly status: EditorStatus;
  /** Why reading or saving failed (`not_found`, `validation_failed`, `version_conflict`, `storage_failed`, …). */
  readonly error: unknown;
  /** The message of each field whose last edit was refused, by field path. */
  readonly fieldErrors: FieldErrors;
  /** Fields someone else changed while they had unsaved edits here; `null` when none. */
  readonly conflict: EditorConflict | null;
  readonly fields: Readonly<Partial<Record<EditableField, FieldTrack>>>;
  readonly loadError: unknown;
  readonly save: UpdateStatus | undefined;
  readonly shown: UpdateState;
}

export type EditorAction =
  | {
      readonly type: 'stored';
      readonly customer: Customer;
      readonly pending: CustomerPatch;
      /** A save of this editor was in flight when the customer arrived (it may be that save's result). */
      readonly saving: boolean;
    }
  | { readonly type: 'loadFailed'; readonly error: unknown }
  | { readonly type: 'status'; readonly save: UpdateStatus; readonly shown: UpdateState }
  | {
      readonly type: 'edited';
      readonly field: EditableField;
      readonly value: unknown;
      readonly error: CustomerError | undefined;
      readonly normalized: unknown;
    }
  | { readonly type: 'resolved'; readonly fields: readonly EditableField[] };

/** A value's identity for comparisons: JSON of the normalized value (`null` for none). */
export const key = (value: unknown): string => JSON.stringify(value ?? null);

/** How a stored value shows in a form: `''` for none, lists, custom fields and consent as they are. */
export function formValue(field: EditableField, value: unknown): CustomerFormValue<EditableField> {
  if (field === 'preferences' || field === 'tags') return (value as readonly string[] | null) ?? [];
  if (field === 'customFields') return (value as Record<string, CustomFieldValue> | null) ?? {};
  if (field === 'consent') return (value as ConsentPatch | null) ?? {};
  return value == null ? '' : String(value);
}

export const EDITOR_INITIAL: EditorSessionState = derive({
  customer: undefined,
  fields: {},
  fieldErrors: {},
  conflict: null,
  loadError: undefined,
  save: undefined,
  shown: 'idle',
});

export function reduceEditor(state: EditorSessionState, action: EditorAction): EditorSessionState {
  switch (action.type) {
    case 'stored':
      // A re-read of the version already known (e.g. after this editor's own change event) changes nothing.
      if (state.customer?.version === action.customer.version && state.loadError === undefined) return state;
      return derive(
        reconcile({ ...state, loadError: undefined }, action.customer, action.pending, action.saving),
      );
    case 'loadFailed':
      return derive({ ...state, loadError: action.error });
    case 'status': {
      if (state.save === action.save && state.shown === action.shown) return state;
      return derive({
        ...state,
        fields: settledConsent(state, action.save),
        save: action.save,
        shown: action.shown,
      });
    }
    case 'edited': {
      const { field, value, error } = action;
      const track = state.fields[field];
      const mine = new Set(track?.mine);
      const normalized = error ? undefined : key(action.normalized);
      if (normalized !== undefined) mine.add(normalized);
      const expected = track?.expected ?? (state.customer ? key(state.customer[field]) : undefined);
      const fieldErrors: Record<string, string | undefined> = {};
      for (const [path, message] of Object.entries(state.fieldErrors)) {
        if (path !== field && !path.startsWith(`${field}.`)) fieldErrors[path] = message;
      }
      return derive({
        ...state,
        fields: {
          ...state.fields,
          [field]: { draft: value, expected, mine, latest: normalized ?? track?.latest },
        },
        fieldErrors: error ? { ...fieldErrors, ...fieldErrorsOf(error) } : fieldErrors,
        conflict: retyped(state.conflict, field, value, normalized),
      });
    }
    case 'resolved': {
      if (!state.conflict) return state;
      const fields = state.conflict.fields.filter((c) => !action.fields.includes(c.field));
      return derive({ ...state, conflict: fields.length ? { ...state.conflict, fields } : null });
    }
  }
}

/**
 * The tracks without a consent draft that is stored by now: the form then shows the stored consent
 * (see `reconcile`; the stored customer may have arrived while the save was still in flight).
 */
function settledConsent(
  state: EditorSessionState,
  save: EditorSessionState['save'],
): EditorSessionState['fields'] {
  const track = state.fields.consent;
  if (!track || !save || save.pendingFields.includes('consent') || refused(state.fieldErrors, 'consent')) {
    return state.fields;
  }
  const { consent: _stored, ...rest } = state.fields;
  return rest;
}

/**
 * Compares a newly stored customer with the fields edited here. A field this editor saved agrees;
 * a field changed elsewhere while it had unsaved edits here becomes a conflict (the edits here are
 * still saved: core's editor re-saves them, so the conflict is what lets the user take theirs
 * back); a field changed elsewhere after this editor's edits were stored takes the new value.
 */
function reconcile(
  state: EditorSessionState,
  customer: Customer,
  pending: CustomerPatch,
  saving: boolean,
): EditorSessionState {
  const fields: Partial<Record<EditableField, FieldTrack>> = { ...state.fields };
  const conflicts = [...(state.conflict?.fields ?? [])];
  let found = false;
  for (const field of Object.keys(fields) as EditableField[]) {
    const track = fields[field];
    if (!track) continue;
    const theirs = key(customer[field]);
    // A refused edit is unsaved too: its text must not be replaced under the user's cursor.
    const unsaved = field in pending || refused(state.fieldErrors, field);
    // Consent edits name channels and merge with the stored ones (core stamps time and source), so
    // the stored value never equals the draft and another writer's channels are no conflict: once
    // nothing is pending the form shows what is stored.
    if (field === 'consent') {
      if (!unsaved) delete fields[field];
      continue;
    }
    // This editor's own save: its newest value, or (while a save is in flight) an older one typed
    // here. A value typed here that arrives while nothing is in flight was written by someone else.
    const ours = track.mine.has(theirs) && (theirs === track.latest || (unsaved && saving));
    if (track.expected === undefined || ours) {
      fields[field] = { ...track, expected: theirs };
      continue;
    }
    if (theirs === track.expected) continue;
    if (unsaved) {
      found = true;
      const entry = {
        field,
        mine: track.draft as FieldConflict['mine'],
        theirs: formValue(field, customer[field]),
      };
      const at = conflicts.findIndex((c) => c.field === field);
      if (at >= 0) conflicts[at] = entry;
      else conflicts.push(entry);
      fields[field] = { ...track, expected: theirs };
    } else {
      // Saved here, then changed elsewhere: show the newer stored value.
      delete fields[field];
    }
  }
  const conflict = found ? { fields: conflicts, customer } : state.conflict;
  return { ...state, customer, fields, conflict };
}

/**
 * A conflict after the user typed again in one of its fields: the entry shows the new value, and
 * goes away once the user typed what the other writer stored.
 */
function retyped(
  conflict: EditorConflict | null,
  field: EditableField,
  value: unknown,
  normalized: string | undefined,
): EditorConflict | null {
  const at = conflict?.fields.findIndex((c) => c.field === field) ?? -1;
  if (!conflict || at < 0) return conflict;
  const fields = conflict.fields.slice();
  if (normalized !== undefined && normalized === key(conflict.customer[field])) fields.splice(at, 1);
  else
    fields[at] = { field, mine: value as FieldConflict['mine'], theirs: conflict.fields[at]?.theirs ?? '' };
  return fields.length ? { ...conflict, fields } : null;
}

function refused(errors: FieldErrors, field: EditableField): boolean {
  return Object.keys(errors).some((path) => path === field || path.startsWith(`${field}.`));
}

function derive(state: Omit<EditorSessionState, 'values' | 'status' | 'error'>): EditorSessionState {
  const values = {} as Record<EditableField, unknown>;
  for (const field of EDITABLE_FIELDS) {
    const track = state.fields[field];
    values[field] = track ? track.draft : formValue(field, state.customer?.[field]);
  }
  const status: EditorStatus =
    state.loadError !== undefined
      ? 'error'
      : state.customer === undefined && state.shown === 'idle'
        ? 'loading'
        : state.shown;
  return {
    ...state,
    values: values as CustomerFormValues,
    status,
    error: state.loadError ?? state.save?.error,
  };
}
