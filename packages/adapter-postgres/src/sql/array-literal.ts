/**
 * Encodes a list as a Postgres array literal (`{"a","b \"c\""}`), sent as text and cast with
 * `::text[]`. Both drivers pass strings through untouched, so arrays never depend on a driver's
 * own array serializer, and a batch column of lists travels as one `text[]` of literals.
 * @param values - The elements; `null` becomes SQL NULL.
 * @returns The literal.
 */
export function toArrayLiteral(values: readonly (string | null)[]): string {
  if (values.length === 0) return '{}';
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const value = values[i];
    if (value === null || value === undefined) out += 'NULL';
    else if (value.includes('"') || value.includes('\\')) out += `"${value.replace(/[\\"]/g, '\\$&')}"`;
    else out += `"${value}"`;
  }
  return `${out}}`;
}
