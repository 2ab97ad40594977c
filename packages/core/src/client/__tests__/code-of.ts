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

/** The error a promise rejects with, whatever it is; fails when the promise resolves. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<{ code?: string; argument?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; argument?: string; message: string };
  }
  throw new Error('expected a rejection');
}
