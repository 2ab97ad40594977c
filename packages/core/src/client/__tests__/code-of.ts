import { isCustomerError } from '@donutauto/core';

/** The `code` of the `CustomerError` a promise rejects with (other errors are rethrown). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isCustomerError(error)) return error.code;
    throw error;
  }
  throw new Error('expected the call to fail');
}
