import type { ReactNode } from 'react';
import { useId } from 'react';
import { FIELD_LABELS, TEXT_FIELD_INPUT, type TextField } from './field-labels';

/** One labelled text input (a textarea for notes) with its error beside it, linked for screen readers. */
export function TextInput(props: {
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
export function ListInput(props: {
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
