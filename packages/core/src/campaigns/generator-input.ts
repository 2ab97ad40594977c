import { PLATFORM_LIMITS } from '../model/campaign-types';
import type { Customer, CustomFieldValue } from '../model/customer-schema';
import { birthdayMonth } from '../model/normalize';
import type { CampaignRecord, CampaignRunRequest } from '../store/campaign-store';
import type { CampaignCustomerData, CampaignGeneratorInput } from './campaign-generator';
import type { CustomerDataSharing } from './customer-data-sharing';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Builds a generator's input: the brief, and only the customer data the caller allowed. The input
 * is a fresh frozen object, so a generator can neither change the stored customer nor the next input.
 * @param customer - The stored customer.
 * @param record - The campaign (content type, platform).
 * @param request - The run's request (title, instructions).
 * @param sharing - The caller's opt-ins.
 * @returns The input.
 */
export function generatorInput(
  customer: Customer,
  record: Pick<CampaignRecord, 'contentType' | 'platform'>,
  request: Pick<CampaignRunRequest, 'title' | 'instructions'>,
  sharing: CustomerDataSharing,
): CampaignGeneratorInput {
  const allowed = sharing.customFields ?? [];
  const customFields: Record<string, CustomFieldValue> = {};
  for (const [key, value] of Object.entries(customer.customFields)) {
    if (allowed === 'all' || allowed.includes(key)) customFields[key] = value;
  }
  const data: Record<string, unknown> = {
    firstName: customer.firstName,
    preferences: [...customer.preferences],
    tags: [...customer.tags],
    birthdayMonth: customer.dob === null ? null : birthdayMonth(customer.dob),
    location: customer.location,
    customFields,
  };
  for (const field of sharing.include ?? []) data[field] = customer[field];
  return deepFreeze({
    campaign: {
      title: request.title,
      contentType: record.contentType,
      platform: record.platform,
      instructions: request.instructions,
      limits: { ...PLATFORM_LIMITS[record.platform] },
    },
    customer: data as unknown as CampaignCustomerData,
  });
}
