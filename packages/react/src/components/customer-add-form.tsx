import type { Customer } from '@donutauto/core';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { type UseAddCustomerResult, useAddCustomer } from '../hooks/use-add-customer';
import { TEXT_FIELDS, type TextField } from './field-labels';
import { CustomerFields, FieldError } from './form-parts';

/** Props of {@link CustomerAddForm}. */
export interface CustomerAddFormProps {
  /** Class of the `<form>`. */
  readonly className?: string;
  /** Called with the stored customer after a successful add (the form is then cleared). */
  readonly onAdded?: (customer: Customer) => void;
  /** The submit button's text. @defaultValue 'Add customer' */
  readonly submitLabel?: ReactNode;
  /** Rendered after the fields, e.g. a cancel link; receives the add hook's state. */
  readonly children?: (state: UseAddCustomerResult) => ReactNode;
}

type Draft = Record<TextField, string> & { preferences: string[]; tags: string[] };

const EMPTY: Draft = {
  ...(Object.fromEntries(TEXT_FIELDS.map((f) => [f, ''])) as Record<TextField, string>),
  preferences: [],
  tags: [],
};

/**
 * An unstyled form that adds a customer through {@link useAddCustomer}: every field, core's
 * validation messages shown beside the field they concern (`aria-invalid` and
 * `aria-describedby` set), the submit button busy while saving.
 * @param props - Class name, `onAdded`, submit label, and a render prop for extra content.
 * @returns The form.
 * @example
 * <CustomerAddForm onAdded={(c) => navigate(`/customers/${c.id}`)} />
 */
export function CustomerAddForm(props: CustomerAddFormProps): ReactNode {
  const add = useAddCustomer();
  const errorId = useId();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [added, setAdded] = useState<Customer | undefined>(undefined);
  const errors = add.fieldErrors;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const customer = await add.addCustomer(draft);
    if (!customer) return;
    setDraft(EMPTY);
    setAdded(customer);
    props.onAdded?.(customer);
  };

  const otherError =
    add.status === 'error' && Object.keys(errors).length === 0 && add.error instanceof Error
      ? add.error.message
      : undefined;

  return (
    <form className={props.className} onSubmit={submit} noValidate aria-busy={add.isPending}>
      <CustomerFields
        values={draft}
        errors={errors}
        onChange={({ field, value }) => setDraft((d) => ({ ...d, [field]: value }))}
      />
      <FieldError id={errorId} message={otherError} />
      <button type="submit" disabled={add.isPending}>
        {add.isPending ? 'Adding…' : (props.submitLabel ?? 'Add customer')}
      </button>
      <p data-part="status" aria-live="polite">
        {add.status === 'success' && added ? `Added ${added.firstName} ${added.lastName}.` : ''}
      </p>
      {props.children?.(add)}
    </form>
  );
}
