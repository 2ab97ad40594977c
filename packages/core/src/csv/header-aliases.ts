import type { EditableField } from '../model/customer-fields';
import type { ConsentTarget } from './consent-cells';

/**
 * A customer field a CSV column can fill, `fullName` (split into first and last name), or a consent
 * target (see `CONSENT_TARGETS`).
 */
export type CsvStandardTarget =
  | Exclude<EditableField, 'customFields' | 'consent'>
  | 'fullName'
  | ConsentTarget;

/** One known header spelling: what it maps to, how sure that is, and which tools export it. */
export interface HeaderAlias {
  /** The header as a tool writes it. */
  readonly header: string;
  /** The field it fills. */
  readonly target: CsvStandardTarget;
  /** 0–1: how surely this header means that field (ranks competing columns). */
  readonly confidence: number;
  /** Tools whose exports use this header, for the docs and for a UI hint. */
  readonly sources: readonly string[];
}

/* @__NO_SIDE_EFFECTS__ */
const A = (
  header: string,
  target: CsvStandardTarget,
  confidence: number,
  sources: readonly string[] = [],
): HeaderAlias => ({ header, target, confidence, sources });

/**
 * Header spellings the importer recognizes, beyond the template's own names and their
 * case/space/punctuation variants. Matching ignores case, spaces and punctuation, so `E-mail`,
 * `e_mail` and `EMAIL` are one entry. Headers are as these tools' customer exports commonly write
 * them; `Phone` beats `Mobile` beats an address phone when a file has several.
 */
export const HEADER_ALIASES: readonly HeaderAlias[] = [
  A('First Name', 'firstName', 0.95, [
    'Square',
    'Shopify',
    'Clover',
    'Toast',
    'Lightspeed',
    'Mailchimp',
    'HubSpot',
  ]),
  A('first_name', 'firstName', 0.95, ['Lightspeed X-Series']),
  A('Given Name', 'firstName', 0.9, ['Square API']),
  A('Forename', 'firstName', 0.85),
  A('First', 'firstName', 0.8),
  A('FNAME', 'firstName', 0.85, ['Mailchimp (merge tag)']),
  A('Last Name', 'lastName', 0.95, [
    'Square',
    'Shopify',
    'Clover',
    'Toast',
    'Lightspeed',
    'Mailchimp',
    'HubSpot',
  ]),
  A('last_name', 'lastName', 0.95, ['Lightspeed X-Series']),
  A('Surname', 'lastName', 0.9, ['Square (UK/AU)']),
  A('Family Name', 'lastName', 0.9, ['Square API']),
  A('Last', 'lastName', 0.8),
  A('LNAME', 'lastName', 0.85, ['Mailchimp (merge tag)']),
  A('Full Name', 'fullName', 0.9),
  A('Name', 'fullName', 0.8),
  A('Customer Name', 'fullName', 0.85, ['Toast', 'Clover']),
  A('Contact Name', 'fullName', 0.8),
  A('Guest Name', 'fullName', 0.8, ['Toast']),
  A('Email', 'email', 0.95, ['Shopify', 'Toast', 'HubSpot', 'Lightspeed']),
  A('E-mail', 'email', 0.95),
  A('Email Address', 'email', 0.95, ['Square', 'Clover', 'Mailchimp']),
  A('E-mail Address', 'email', 0.95),
  A('Mail', 'email', 0.75),
  A('Customer Email', 'email', 0.9, ['Toast']),
  A('Primary Email', 'email', 0.85),
  A('Phone', 'phone', 0.95, ['Shopify', 'Toast', 'Lightspeed']),
  A('Phone Number', 'phone', 0.95, ['Square', 'Clover', 'Mailchimp', 'HubSpot']),
  A('Telephone', 'phone', 0.9),
  A('Tel', 'phone', 0.8),
  A('Mobile', 'phone', 0.85, ['Lightspeed']),
  A('Mobile Number', 'phone', 0.85),
  A('Mobile Phone', 'phone', 0.85),
  A('Mobile Phone Number', 'phone', 0.85, ['HubSpot']),
  A('Cell', 'phone', 0.8),
  A('Cell Phone', 'phone', 0.8),
  A('Customer Phone', 'phone', 0.9, ['Toast']),
  A('Default Address Phone', 'phone', 0.6, ['Shopify']),
  A('Date of Birth', 'dob', 0.95, ['HubSpot', 'Lightspeed']),
  A('date_of_birth', 'dob', 0.95, ['Lightspeed X-Series']),
  A('DOB', 'dob', 0.95),
  A('Birthday', 'dob', 0.95, ['Square', 'Clover', 'Toast', 'Mailchimp']),
  A('Birth Date', 'dob', 0.95, ['Lightspeed']),
  A('Birthdate', 'dob', 0.95),
  A('Preference', 'preferences', 0.95),
  A('Favorites', 'preferences', 0.8),
  A('Favourites', 'preferences', 0.8),
  A('Favorite Items', 'preferences', 0.8),
  A('Favourite Donuts', 'preferences', 0.8),
  A('Instagram', 'instagramHandle', 0.9),
  A('Instagram Handle', 'instagramHandle', 0.95),
  A('Instagram Username', 'instagramHandle', 0.9),
  A('IG', 'instagramHandle', 0.8),
  A('TikTok', 'tiktokHandle', 0.9),
  A('TikTok Handle', 'tiktokHandle', 0.95),
  A('TikTok Username', 'tiktokHandle', 0.9),
  A('Twitter', 'twitterHandle', 0.9, ['Lightspeed X-Series']),
  A('Twitter Handle', 'twitterHandle', 0.95),
  A('Twitter Username', 'twitterHandle', 0.9),
  A('X', 'twitterHandle', 0.75),
  A('X Handle', 'twitterHandle', 0.9),
  A('Gender', 'gender', 0.95, ['HubSpot']),
  A('Sex', 'gender', 0.85, ['Lightspeed X-Series']),
  A('Location', 'location', 0.95),
  A('City', 'location', 0.8, ['Square', 'Clover', 'HubSpot', 'Lightspeed']),
  A('Default Address City', 'location', 0.75, ['Shopify']),
  A('Store', 'location', 0.7),
  A('Note', 'notes', 0.95, ['Shopify', 'Clover', 'Lightspeed']),
  A('Memo', 'notes', 0.9, ['Square']),
  A('Comments', 'notes', 0.85),
  A('Comment', 'notes', 0.85),
  A('Tag', 'tags', 0.95),
  A('TAGS', 'tags', 0.95, ['Shopify', 'Mailchimp']),
  A('Groups', 'tags', 0.8, ['Square']),
  A('Customer Groups', 'tags', 0.8, ['Square']),
  A('Customer Group', 'tags', 0.75, ['Lightspeed']),
  A('customer_group_name', 'tags', 0.75, ['Lightspeed X-Series']),
  A('Labels', 'tags', 0.8),
  A('Segments', 'tags', 0.7),
  A('Accepts Email Marketing', 'consent.email', 0.95, ['Shopify']),
  A('Accepts Marketing', 'consent.email', 0.9, ['Shopify (before 2022)']),
  A('Email Subscription Status', 'consent.email', 0.95, ['Square']),
  A('Email Marketing Status', 'consent.email', 0.9),
  A('Email Consent', 'consent.email', 0.9),
  A('Email Opt In', 'consent.email', 0.9),
  A('Email Unsubscribed', 'consent.email.unsubscribed', 0.9, ['Square (before 2021)']),
  A('OPTIN_TIME', 'consent.email.optInTime', 0.9, ['Mailchimp']),
  A('UNSUB_TIME', 'consent.email.unsubscribeTime', 0.95, ['Mailchimp']),
  A('Accepts SMS Marketing', 'consent.sms', 0.95, ['Shopify']),
  A('SMS Subscription Status', 'consent.sms', 0.9),
  A('SMS Consent', 'consent.sms', 0.9),
  A('SMS Opt In', 'consent.sms', 0.9),
  A('Social DM Consent', 'consent.socialDm', 0.9),
];
