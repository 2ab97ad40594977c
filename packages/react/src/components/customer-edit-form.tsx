import { type CustomFieldValue, isCustomerError } from '@donutauto/core';
import { type ReactNode, useId } from 'react';
import { type UseCustomerEditorResult, useCustomerEditor } from '../hooks/use-customer-editor';
import type { EditorStatus } from '../stores/editor-state';
import { FIELD_LABELS } from './field-labels';
import { CustomerFields, FieldError } from './form-parts';

/** Props of {@link CustomerEditForm}. */
export interface CustomerEditFormProps {
  /** The customer's id. */
  readonly id: string;
  /** Class of the `<form>`. */
  readonly className?: string;
  /** Words for each save status. @defaultValue Saving… / Saved / Not saved */
  readonly statusText?: (status: EditorStatus, error: unknown) => string;
  /** Rendered after the fields; receives the editor's state (e.g. a "Done" button calling `flush`). */
  readonly children?: (editor: UseCustomerEditorResult) => ReactNode;
}

/**
 * An unstyled edit form that saves as the user types, through {@link useCustomerEditor}: every
 * field, at most 3 preferences with add and remove, tags, custom fields, a live "Saving… / Saved"
 * status, refused edits explained beside their field, and a notice with both values when someone
 * else changed a field being edited here.
 * @param props - The customer id, class name, status wording, and a render prop.
 * @returns The form.
 * @example
 * <CustomerEditForm id={customerId}>{({ flush }) => <button type="button" onClick={flush}>Done</button>}</CustomerEditForm>
 */
export function CustomerEditForm(props: CustomerEditFormProps): ReactNode {
  const editor = useCustomerEditor(props.id);
  const { values, setField, fieldErrors, status, conflict } = editor;
  const loading = status === 'loading';
  const notFound = isCustomerError(editor.error, 'not_found');
  const customKeys = Object.keys(values.customFields);
  const label = (props.statusText ?? defaultStatusText)(status, editor.error);

  return (
    <form className={props.className} onSubmit={(e) => e.preventDefault()} aria-busy={loading}>
      <p data-part="status" data-status={status} aria-live="polite">
        {label}
      </p>
      {conflict && (
        <div data-part="conflict" role="alert">
          <p>Someone else changed this customer while you were editing:</p>
          <ul>
            {conflict.fields.map((c) => (
              <li key={c.field}>
                {`${FIELD_LABELS[c.field]}: they saved “${show(c.theirs)}”, you typed “${show(c.mine)}” (yours is saved).`}
                <button type="button" onClick={() => editor.resolveConflict('theirs', c.field)}>
                  {`Use theirs for ${FIELD_LABELS[c.field]}`}
                </button>
                <button type="button" onClick={() => editor.resolveConflict('mine', c.field)}>
                  {`Keep mine for ${FIELD_LABELS[c.field]}`}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <CustomerFields
        values={values}
        errors={fieldErrors}
        disabled={loading || notFound}
        onChange={(change) =>
          change.kind === 'list' ? setField(change.field, change.value) : setField(change.field, change.value)
        }
      />
      {customKeys.length > 0 && (
        <fieldset data-part="custom-fields" disabled={loading || notFound}>
          <legend>{FIELD_LABELS.customFields}</legend>
          {customKeys.map((key) => (
            <CustomFieldInput
              key={key}
              name={key}
              value={values.customFields[key] ?? null}
              error={fieldErrors[`customFields.${key}`]}
              onChange={(value) => setField('customFields', { ...values.customFields, [key]: value })}
            />
          ))}
        </fieldset>
      )}
      {props.children?.(editor)}
    </form>
  );
}

function CustomFieldInput(props: {
  readonly name: string;
  readonly value: CustomFieldValue;
  readonly error: string | undefined;
  readonly onChange: (value: CustomFieldValue) => void;
}): ReactNode {
  const id = useId();
  const errorId = `${id}-error`;
  const { value } = props;
  const described = {
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': props.error ? errorId : undefined,
  };
  return (
    <div data-part="field" data-field={`customFields.${props.name}`}>
      <label htmlFor={id}>{props.name}</label>
      {typeof value === 'boolean' ? (
        <input
          id={id}
          type="checkbox"
          checked={value}
          {...described}
          onChange={(e) => props.onChange(e.target.checked)}
        />
      ) : typeof value === 'number' ? (
        <input
          id={id}
          type="number"
          value={value}
          {...described}
          onChange={(e) => props.onChange(e.target.value === '' ? null : Number(e.target.value))}
        />
      ) : (
        <input id={id} value={value ?? ''} {...described} onChange={(e) => props.onChange(e.target.value)} />
      )}
      <FieldError id={errorId} message={props.error} />
    </div>
  );
}

function show(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value ?? '');
}

function defaultStatusText(status: EditorStatus, error: unknown): string {
  switch (status) {
    case 'loading':
      return 'Loading…';
    case 'pending':
    case 'saving':
      return 'Saving…';
    case 'saved':
      return 'Saved';
    case 'error':
      return `Not saved: ${error instanceof Error ? error.message : 'unknown error'}`;
    default:
      return '';
  }
}
