import type { Customer, CustomerError, EditableField } from '@donutauto/core';
import { useMemo, useSyncExternalStore } from 'react';
import { useCustomerClient } from '../customers-provider';
import { createEditorSession, type UseCustomerEditorOptions } from '../stores/editor-session';
import type {
  CustomerFormValue,
  CustomerFormValues,
  EditorConflict,
  EditorStatus,
} from '../stores/editor-state';
import type { FieldErrors } from '../stores/field-errors';
import { useInstance } from './use-instance';

export type { UseCustomerEditorOptions };

/** What {@link useCustomerEditor} returns. */
export interface UseCustomerEditorResult {
  /** Every editable field for the form: what was typed here, else the stored value (`''` for none). */
  readonly values: CustomerFormValues;
  /**
   * Sets one field as the user types. The value is validated at once and saved with the other
   * fields' edits in one write after a pause in typing.
   * @param field - An editable field.
   * @param value - Its new value, as typed (`''` clears an optional field).
   * @returns `undefined` when queued, else the refused edit's `validation_failed` or
   * `forbidden_field` error (also in `fieldErrors`).
   */
  readonly setField: <F extends EditableField>(
    field: F,
    value: CustomerFormValue<F>,
  ) => CustomerError | undefined;
  /**
   * `loading` until the customer is read, then `idle`, `pending` (edits wait for the pause),
   * `saving` (shown for at least `minSavingMs`), `saved` or `error`.
   */
  readonly status: EditorStatus;
  /** Why reading or saving failed, or `undefined`. A deleted customer gives `not_found`. */
  readonly error: unknown;
  /** The message of each refused edit, by field path (`email`, `customFields.tier`). */
  readonly fieldErrors: FieldErrors;
  /**
   * Fields someone else changed while they had unsaved edits here, with both values; `null` when
   * none. The edits made here are saved (field by field, the other fields keep the other writer's
   * values); show the conflict so the user can take theirs back with `resolveConflict('theirs')`.
   */
  readonly conflict: EditorConflict | null;
  /**
   * Settles the conflict: `mine` keeps the values typed here, `theirs` saves the other writer's.
   * @param choice - Whose values to keep.
   * @param field - Only this field. @defaultValue every conflicting field
   */
  readonly resolveConflict: (choice: 'mine' | 'theirs', field?: EditableField) => void;
  /**
   * Saves now.
   * @returns Resolves once every edit made before the call is stored.
   * @throws The save's error when it cannot be stored.
   */
  readonly flush: () => Promise<void>;
  /** The newest stored customer known, or `undefined` before the first read. */
  readonly customer: Customer | undefined;
  /** Fields with edits not stored yet (waiting for the pause, or being saved), e.g. for "Unsaved: Notes". */
  readonly pendingFields: readonly EditableField[];
}

const NONE: readonly EditableField[] = [];

/**
 * Edits one customer as the user types, over core's editor and update queue: edits to any number
 * of fields coalesce into one write after a pause (`delayMs`, 500 ms), saved with the version the
 * form was showing. Pending edits are saved when the component unmounts, on `pagehide` and when the
 * page is hidden. Changes made elsewhere show live; one that hits a field with unsaved edits here
 * is reported in `conflict`, never silently overwritten.
 * @param id - The customer's id.
 * @param options - `delayMs`, `maxWaitMs`, `retry` (core's editor) and `minSavingMs` (600).
 * @returns `{ values, setField, status, error, fieldErrors, conflict, resolveConflict, flush, customer, pendingFields }`.
 * @throws `Error` outside a {@link CustomersProvider}; `invalid_argument` for an empty id or bad timings.
 * @example
 * const { values, setField, status } = useCustomerEditor(id);
 * return <>
 *   <input value={values.firstName} onChange={(e) => setField('firstName', e.target.value)} />
 *   <span aria-live="polite">{status === 'saving' ? 'Saving…' : status === 'saved' ? 'Saved' : ''}</span>
 * </>;
 */
export function useCustomerEditor(
  id: string,
  options: UseCustomerEditorOptions = {},
): UseCustomerEditorResult {
  const client = useCustomerClient();
  const session = useInstance([client, id], () => createEditorSession(client, id, options));
  const state = useSyncExternalStore(session.subscribe, session.getSnapshot, session.getServerSnapshot);
  return useMemo(
    () => ({
      values: state.values,
      setField: session.setField,
      status: state.status,
      error: state.error,
      fieldErrors: state.fieldErrors,
      conflict: state.conflict,
      resolveConflict: session.resolveConflict,
      flush: session.flush,
      customer: state.customer,
      pendingFields: state.save?.pendingFields ?? NONE,
    }),
    [state, session],
  );
}
