import type { CustomerData } from '@donutauto/core';

/**
 * Normalized customer data for tests: every optional field empty unless given.
 * @param required - First name, last name and email.
 * @param extra - Other fields to set.
 * @returns Complete {@link CustomerData}.
 * @example
 * const data = customerDataFixture({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' }, { tags: ['vip'] });
 */
export function customerDataFixture(
  required: Pick<CustomerData, 'firstName' | 'lastName' | 'email'>,
  extra: Partial<CustomerData> = {},
): CustomerData {
  return {
    firstName: required.firstName,
    lastName: required.lastName,
    email: required.email,
    phone: null,
    dob: null,
    preferences: [],
    instagramHandle: null,
    tiktokHandle: null,
    twitterHandle: null,
    gender: null,
    location: null,
    notes: null,
    tags: [],
    customFields: {},
    ...extra,
  };
}
