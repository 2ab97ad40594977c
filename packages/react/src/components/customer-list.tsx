import type { Customer } from '@donutauto/core';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import {
  type UseCustomerListOptions,
  type UseCustomerListResult,
  useCustomerList,
} from '../hooks/use-customer-list';
import { useDeleteCustomer } from '../hooks/use-delete-customer';
import { type CustomerListCampaign, SelectionCampaign } from './selection-campaign';

/** Props of {@link CustomerList}. */
export interface CustomerListProps extends UseCustomerListOptions {
  /** Class of the wrapping element. */
  readonly className?: string;
  /** The table's caption. @defaultValue 'Customers' */
  readonly caption?: ReactNode;
  /** Shows an Edit button on each row calling this (omit it to leave editing out). */
  readonly onEdit?: (customer: Customer) => void;
  /** Extra content for a row's actions cell (a link to an edit page, …). */
  readonly renderActions?: (customer: Customer) => ReactNode;
  /**
   * Content above the table while customers are selected, e.g. a "generate campaign" button;
   * receives the selected ids and a function that clears the selection.
   */
  readonly renderSelectionActions?: (selectedIds: readonly string[], clearSelection: () => void) => ReactNode;
  /**
   * Adds "generate campaign for the selection": a button generating this campaign for the selected
   * customers (core's `generateCampaigns`), a progress bar with cancel, a summary and a retry of failures.
   */
  readonly campaign?: CustomerListCampaign;
  /** Content after the table; receives the list hook's state. */
  readonly children?: (list: UseCustomerListResult) => ReactNode;
}

/**
 * An unstyled, accessible customer table built on {@link useCustomerList},
 * {@link useDeleteCustomer} and (with `campaign`) {@link useCampaignGeneration}: live rows, a
 * checkbox per row and one for all loaded rows, a "Load more" button, Edit (when `onEdit` is
 * given), Delete with an inline confirmation, and campaign generation for the selection.
 * @param props - The list options (`pageSize`, `filter`, `sort`), callbacks and render props.
 * @returns The list.
 * @example
 * <CustomerList pageSize={25} onEdit={(c) => navigate(`/customers/${c.id}`)}
 *   renderSelectionActions={(ids) => <button type="button">Campaign for {ids.length}</button>} />
 */
export function CustomerList(props: CustomerListProps): ReactNode {
  const { pageSize, filter, sort } = props;
  const list = useCustomerList({
    ...(pageSize !== undefined ? { pageSize } : {}),
    ...(filter !== undefined ? { filter } : {}),
    ...(sort !== undefined ? { sort } : {}),
  });
  const remover = useDeleteCustomer();
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [confirming, setConfirming] = useState<string | undefined>(undefined);
  const captionId = useId();
  const { results, status } = list;
  // Selection only ever holds rows still listed.
  const selectedIds = results.filter((c) => selected.has(c.id)).map((c) => c.id);
  const allSelected = results.length > 0 && selectedIds.length === results.length;

  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <div className={props.className} data-part="customer-list">
      {selectedIds.length > 0 && (
        <fieldset data-part="selection">
          <legend>{`${selectedIds.length} selected`}</legend>
          {props.renderSelectionActions?.(selectedIds, () => setSelected(new Set()))}
        </fieldset>
      )}
      {props.campaign && <SelectionCampaign campaign={props.campaign} selectedIds={selectedIds} />}
      {list.error !== undefined && (
        <p role="alert" data-part="error">
          {list.error instanceof Error ? list.error.message : 'The customers could not be loaded.'}
        </p>
      )}
      {remover.status === 'error' && remover.error instanceof Error && (
        <p role="alert" data-part="error">{`Not deleted: ${remover.error.message}`}</p>
      )}
      <table
        aria-labelledby={captionId}
        aria-busy={status === 'LoadingFirstPage' || status === 'LoadingMore'}
      >
        <caption id={captionId}>{props.caption ?? 'Customers'}</caption>
        <thead>
          <tr>
            <th scope="col">
              <input
                type="checkbox"
                aria-label="Select all shown customers"
                checked={allSelected}
                disabled={results.length === 0}
                ref={(el) => {
                  if (el) el.indeterminate = selectedIds.length > 0 && !allSelected;
                }}
                onChange={() => setSelected(allSelected ? new Set() : new Set(results.map((c) => c.id)))}
              />
            </th>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Phone</th>
            <th scope="col">Preferences</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {results.map((customer) => {
            const name = `${customer.firstName} ${customer.lastName}`;
            const busy = remover.pendingIds.includes(customer.id);
            return (
              <tr key={customer.id} data-id={customer.id} aria-busy={busy || undefined}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${name}`}
                    checked={selected.has(customer.id)}
                    onChange={() => toggle(customer.id)}
                  />
                </td>
                <th scope="row">{name}</th>
                <td>{customer.email}</td>
                <td>{customer.phone ?? ''}</td>
                <td>{customer.preferences.join(', ')}</td>
                <td>
                  {confirming === customer.id ? (
                    <ConfirmDelete
                      name={name}
                      onConfirm={() => {
                        setConfirming(undefined);
                        void remover.deleteCustomer(customer.id);
                      }}
                      onCancel={() => setConfirming(undefined)}
                    />
                  ) : (
                    <>
                      {props.onEdit && (
                        <button type="button" onClick={() => props.onEdit?.(customer)}>
                          {`Edit ${name}`}
                        </button>
                      )}
                      {props.renderActions?.(customer)}
                      <button type="button" disabled={busy} onClick={() => setConfirming(customer.id)}>
                        {`Delete ${name}`}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p data-part="list-status" aria-live="polite">
        {status === 'LoadingFirstPage' && list.error === undefined
          ? 'Loading customers…'
          : status === 'Exhausted'
            ? results.length === 0
              ? 'No customers yet.'
              : `All ${results.length} customers shown.`
            : `${results.length} customers shown.`}
      </p>
      {(status === 'CanLoadMore' || status === 'LoadingMore') && (
        <button type="button" disabled={status === 'LoadingMore'} onClick={() => list.loadMore()}>
          {status === 'LoadingMore' ? 'Loading…' : 'Load more'}
        </button>
      )}
      {props.children?.(list)}
    </div>
  );
}

function ConfirmDelete(props: {
  readonly name: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}): ReactNode {
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => confirm.current?.focus(), []);
  return (
    <fieldset data-part="confirm-delete">
      <legend>{`Delete ${props.name}? This cannot be undone.`}</legend>
      <button type="button" ref={confirm} onClick={props.onConfirm}>
        Yes, delete
      </button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </fieldset>
  );
}
