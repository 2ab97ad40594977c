import { MAX_PREFERENCES } from '@donutauto/core';
import type { ReactNode } from 'react';
import { useId } from 'react';
import type { FieldErrors } from '../stores/field-errors';
import { FIELD_LABELS, TEXT_FIELD_INPUT, TEXT_FIELDS, type TextField } from './field-labels';

/** What the add and edit forms show in their standard fields. */
export type CustomerFieldValues = Readonly<Record<TextField, string>> & {
  readonly preferences: readonly string[];
  readonly tags: readonly string[];
};

/** One edit of a standard field. */
export type CustomerFieldChange =
  | { readonly kind: 'text'; readonly field: TextField; readonly value: string }
  | { readonly kind: 'list'; readonly field: 'preferences' | 'tags'; readonly value: string[] };

/** Most tags a customer can have (core's limit; core checks it either way). */
const MAX_TAGS = 100;

/** The text fields, then preferences and tags, each with its error beside it (shared by the add and edit forms). */
export function CustomerFields(props: {
  readonly values: CustomerFieldValues;
  readonly errors: FieldErrors;
  readonly onChange: (change: CustomerFieldChange) => void;
  readonly disabled?: boolean;
}): ReactNode {
  const { values, errors, onChange, disabled = false } = props;
  return (
    <>
      {TEXT_FIELDS.map((field) => (
        <TextInput
          key={field}
          field={field}
          value={values[field]}
          error={errors[field]}
          disabled={disabled}
          onChange={(value) => onChange({ kind: 'text', field, value })}
        />
      ))}
      <ListInput
        name="preferences"
        label={FIELD_LABELS.preferences}
        noun="preference"
        values={values.preferences}
        max={MAX_PREFERENCES}
        error={errors.preferences}
        disabled={disabled}
        onChange={(value) => onChange({ kind: 'list', field: 'preferences', value })}
      />
      <ListInput
        name="tags"
        label={FIELD_LABELS.tags}
        noun="tag"
        values={values.tags}
        max={MAX_TAGS}
        error={errors.tags}
        disabled={disabled}
        onChange={(value) => onChange({ kind: 'list', field: 'tags', value })}
      />
    </>
  );
}

/** One labelled text input (a textarea for notes) with its error beside it, linked for screen readers. */
function TextInput(props: {
  readonly field: TextField;
  readonly value: string;
  readonly error: string | undefined;
  readonly onChange: (value: string) => void;
  readonly disabled?: boolean;
}): ReactNode {
  const id = useId();
  const errorId = `${id}-error`;
  const { type, ...attributes } = TEXT_FIELD_INPUT[props.field];
  const shared = {
    id,
    name: props.field,
    value: props.value,
    disabled: props.disabled,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': props.error ? errorId : undefined,
    'data-field': props.field,
  };
  return (
    <div data-part="field">
      <label htmlFor={id}>
        {FIELD_LABELS[props.field]}
        {attributes.required ? ' (required)' : ''}
      </label>
      {props.field === 'notes' ? (
        <textarea {...shared} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input
          {...shared}
          {...attributes}
          type={type ?? 'text'}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
      <FieldError id={errorId} message={props.error} />
    </div>
  );
}

/** A field's error message, announced when it appears. */
export function FieldError(props: { readonly id: string; readonly message: string | undefined }): ReactNode {
  if (!props.message) return null;
  return (
    <span id={props.id} data-part="field-error" role="alert">
      {props.message}
    </span>
  );
}

/**
 * A list of short texts (preferences, tags): one input per entry, remove buttons, and an add button
 * disabled at `max`.
 */
function ListInput(props: {
  readonly name: 'preferences' | 'tags';
  readonly label: string;
  /** Singular noun for buttons and entry labels ("preference"). */
  readonly noun: string;
  readonly values: readonly string[];
  readonly max: number;
  readonly error: string | undefined;
  readonly onChange: (values: string[]) => void;
  readonly disabled?: boolean;
}): ReactNode {
  const id = useId();
  const errorId = `${id}-error`;
  const { values, max, noun } = props;
  return (
    <fieldset
      data-part="field"
      data-field={props.name}
      aria-describedby={props.error ? errorId : undefined}
      disabled={props.disabled}
    >
      <legend>
        {props.label} (at most {max})
      </legend>
      {values.map((value, index) => (
        // Entries have no identity but their position while being typed.
        // biome-ignore lint/suspicious/noArrayIndexKey: the position is the entry's identity here
        <div key={index} data-part="list-entry">
          <label htmlFor={`${id}-${index}`}>{`${capitalize(noun)} ${index + 1}`}</label>
          <input
            id={`${id}-${index}`}
            value={value}
            aria-invalid={props.error ? true : undefined}
            onChange={(e) => props.onChange(values.map((v, i) => (i === index ? e.target.value : v)))}
          />
          <button type="button" onClick={() => props.onChange(values.filter((_, i) => i !== index))}>
            {`Remove ${noun} ${index + 1}`}
          </button>
        </div>
      ))}
      <button type="button" disabled={values.length >= max} onClick={() => props.onChange([...values, ''])}>
        {`Add ${noun}`}
      </button>
      <FieldError id={errorId} message={props.error} />
    </fieldset>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
