/**
 * The date-of-birth cell of benchmark row `i`, shared by the Node fixtures and the browser page (this
 * module imports nothing, so both can bundle it): a year-less birthday every fifth row, a full date
 * the next, empty otherwise.
 */
export function fixtureDob(i: number): string {
  if (i % 5 === 0) return `--0${1 + (i % 9)}-1${i % 10}`;
  if (i % 5 === 1) return `19${50 + (i % 50)}-0${1 + (i % 9)}-2${i % 8}`;
  return '';
}
