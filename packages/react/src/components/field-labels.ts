import { type ConsentTarget, EDITABLE_FIELDS, type EditableField } from '@donutauto/core';

/** English labels of the customer fields, as the components show them. */
export const FIELD_LABELS: Readonly<Record<EditableField | 'fullName', string>> = {
  firstName: 'First name',
  lastName: 'Last name',
  fullName: 'Full name',
  email: 'Email',
  phone: 'Phone',
  dob: 'Date of birth',
  preferences: 'Preferences',
  instagramHandle: 'Instagram',
  tiktokHandle: 'TikTok',
  twitterHandle: 'Twitter',
  gender: 'Gender',
  location: 'Location',
  notes: 'Notes',
  tags: 'Tags',
  customFields: 'Custom fields',
  consent: 'Marketing consent',
};

/** English labels of every CSV target a column can map to (fields and consent columns). */
export const TARGET_LABELS: Readonly<Record<EditableField | 'fullName' | ConsentTarget, string>> = {
  ...FIELD_LABELS,
  'consent.email': 'Email marketing consent',
  'consent.sms': 'SMS marketing consent',
  'consent.socialDm': 'Social DM consent',
  'consent.email.optInTime': 'Email opt-in time',
  'consent.email.unsubscribeTime': 'Email unsubscribe time',
  'consent.email.unsubscribed': 'Email unsubscribed (yes/no)',
};

/** The text fields of a customer form, in template order (lists and custom fields have their own widgets). */
export const TEXT_FIELDS = EDITABLE_FIELDS.filter(
  (f): f is Exclude<EditableField, 'preferences' | 'tags' | 'customFields' | 'consent'> =>
    f !== 'preferences' && f !== 'tags' && f !== 'customFields' && f !== 'consent',
);

/** A text field of a customer form. */
export type TextField = (typeof TEXT_FIELDS)[number];

/** Input attributes that help browsers and screen readers with each text field. */
export const TEXT_FIELD_INPUT: Readonly<
  Record<TextField, { type?: string; autoComplete?: string; placeholder?: string; required?: boolean }>
> = {
  firstName: { autoComplete: 'given-name', required: true },
  lastName: { autoComplete: 'family-name', required: true },
  email: { type: 'email', autoComplete: 'email', required: true },
  phone: { type: 'tel', autoComplete: 'tel' },
  dob: { placeholder: 'YYYY-MM-DD or --MM-DD' },
  instagramHandle: { placeholder: '@handle' },
  tiktokHandle: { placeholder: '@handle' },
  twitterHandle: { placeholder: '@handle' },
  gender: {},
  location: {},
  notes: {},
};
