import { type ChannelConsent, type CustomerConsent, mergeConsent } from './consent';
import { EDITABLE_FIELDS } from './customer-fields';
import type { Customer, CustomerData, CustomerPatch } from './customer-schema';

/** The system fields of a stored customer. */
export interface SystemFields {
  /** The customer's id. */
  readonly id: string;
  /** The tenant. */
  readonly organizationId: string;
  /** Creation time, epoch ms. */
  readonly createdAt: number;
  /** Last update time, epoch ms. */
  readonly updatedAt: number;
  /** Optimistic-concurrency version, from 1. */
  readonly version: number;
}

/**
 * Assembles a customer from normalized data and system fields, copying lists and custom fields.
 * Every property is written in one fixed order, so all customers share one object shape (fast
 * property access, cheap copies) whatever shape the input had.
 * @param data - Normalized customer data (or a whole customer to copy).
 * @param system - The system fields.
 * @returns A new customer object sharing no mutable state with `data`.
 */
export function toCustomer(data: CustomerData, system: SystemFields): Customer {
  return assemble(data, system, true);
}

/**
 * {@link toCustomer} without the copies: the customer shares `data`'s lists and custom fields. For
 * data nothing else will touch (an import's planned rows); not exported from the package.
 * @param data - Normalized customer data, handed over.
 * @param system - The system fields.
 * @returns A new customer object holding `data`'s lists and custom fields.
 */
export function toCustomerSharing(data: CustomerData, system: SystemFields): Customer {
  return assemble(data, system, false);
}

function assemble(data: CustomerData, system: SystemFields, copy: boolean): Customer {
  return {
    firstName: data.firstName,
    lastName: data.lastName,
    email: data.email,
    phone: data.phone,
    dob: data.dob,
    preferences: copy ? data.preferences.slice() : data.preferences,
    instagramHandle: data.instagramHandle,
    tiktokHandle: data.tiktokHandle,
    twitterHandle: data.twitterHandle,
    gender: data.gender,
    location: data.location,
    notes: data.notes,
    tags: copy ? data.tags.slice() : data.tags,
    customFields: copy ? { ...data.customFields } : data.customFields,
    consent: copy ? copyConsent(mergeConsent(data.consent)) : mergeConsent(data.consent),
    id: system.id,
    organizationId: system.organizationId,
    createdAt: system.createdAt,
    updatedAt: system.updatedAt,
    version: system.version,
  };
}

function copyConsent(consent: CustomerConsent): CustomerConsent {
  const copy = (c: ChannelConsent): ChannelConsent => ({
    state: c.state,
    at: c.at,
    source: c.source,
    by: c.by,
  });
  return { email: copy(consent.email), sms: copy(consent.sms), socialDm: copy(consent.socialDm) };
}

/**
 * Deep-copies a customer (lists and custom fields included).
 * @param customer - A stored customer.
 * @returns An equal customer sharing no mutable state with the original.
 */
export function copyCustomer(customer: Customer): Customer {
  return toCustomer(customer, customer);
}

/**
 * Applies a normalized patch to a stored customer: the next stored state, with `updatedAt` set and
 * `version` bumped by one. Adapters use it so every backend computes the same next customer. A
 * `consent` patch changes only the channels it names.
 * @param current - The stored customer.
 * @param patch - Normalized fields to change (`undefined` entries are ignored).
 * @param updatedAt - The new `updatedAt`, epoch ms.
 * @returns A new customer sharing no mutable state with `current` or `patch`.
 */
export function applyCustomerPatch(current: Customer, patch: CustomerPatch, updatedAt: number): Customer {
  const merged: Record<string, unknown> = { ...current };
  // Editable fields only, and only the patch's own ones: a stray `__proto__` or inherited key is ignored.
  for (const field of EDITABLE_FIELDS) {
    const value = Object.hasOwn(patch, field) ? patch[field] : undefined;
    if (value !== undefined) merged[field] = value;
  }
  // A consent patch names the channels it changes; the others keep their value.
  if (patch.consent !== undefined) merged.consent = mergeConsent(patch.consent, current.consent);
  // toCustomer copies lists and custom fields, so the patch's arrays are never shared.
  return toCustomer(merged as CustomerData, { ...current, updatedAt, version: current.version + 1 });
}

/**
 * Builds a complete customer from normalized data and the system fields.
 * @param data - Normalized customer data.
 * @param organizationId - The tenant.
 * @param timestamp - `createdAt` and `updatedAt`, epoch ms.
 * @param generateId - Makes the id.
 * @returns A customer at version 1.
 */
export function buildCustomer(
  data: CustomerData,
  organizationId: string,
  timestamp: number,
  generateId: (now: number) => string,
): Customer {
  return toCustomer(data, newSystemFields(organizationId, timestamp, generateId));
}

/** The system fields of a customer created now: a new id, both timestamps `timestamp`, version 1. */
export function newSystemFields(
  organizationId: string,
  timestamp: number,
  generateId: (now: number) => string,
): SystemFields {
  return {
    id: generateId(timestamp),
    organizationId,
    createdAt: timestamp,
    updatedAt: timestamp,
    version: 1,
  };
}
