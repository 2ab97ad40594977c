import { CUSTOMERS, type CustomerRecord } from './customer-schema-idb';

/**
 * Resolves with a request's result (raw IndexedDB: one promise, no wrapper per request).
 * @param request - A pending request.
 * @returns Its result.
 * @throws The request's `DOMException` when it fails.
 */
function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Reads the stored records of one organization's emails through `byEmail`, inside `tx`. When the
 * emails' key span holds few stored customers (an import into a new or small organization, or a
 * batch of neighbouring emails) one range read fetches the whole span; otherwise one point read per
 * email is issued at once, and only the last one is awaited (requests of a transaction complete in
 * order). Raw requests: no promise per email.
 * @param tx - A read-only transaction on the customers store.
 * @param keyRange - The factory's `IDBKeyRange` class.
 * @param org - The tenant.
 * @param emails - Normalized emails, sorted and without repeats; at least one.
 * @returns The records found, in no particular order.
 * @throws The browser's `DOMException` when a read fails.
 */
export async function readByEmails(
  tx: IDBTransaction,
  keyRange: typeof IDBKeyRange,
  org: string,
  emails: readonly string[],
): Promise<CustomerRecord[]> {
  const byEmail = tx.objectStore(CUSTOMERS).index('byEmail');
  const first = emails[0] as string;
  const last = emails[emails.length - 1] as string;
  const span = keyRange.bound([org, first], [org, last]);
  // A bounded key-only probe (never a walk of a large span): when the span holds at most twice the
  // wanted rows, one range read fetches them; otherwise point reads (the span is mostly others).
  const limit = emails.length * 2 + 1;
  const stored = await settle(byEmail.getAllKeys(span, limit));
  if (stored.length === 0) return [];
  if (stored.length < limit) {
    const wanted = new Set(emails);
    const ranged = await settle(byEmail.getAll(span) as IDBRequest<CustomerRecord[]>);
    return ranged.filter((r) => wanted.has(r.emailNormalized));
  }
  const requests: IDBRequest<CustomerRecord | undefined>[] = new Array(emails.length);
  for (let i = 0; i < emails.length; i++) requests[i] = byEmail.get([org, emails[i] as string]);
  await settle(requests[requests.length - 1] as IDBRequest);
  const found: CustomerRecord[] = [];
  for (const request of requests) if (request.result !== undefined) found.push(request.result);
  return found;
}
