/**
 * A generated POS export: the column names a point-of-sale system uses (mapped by the SDK's header
 * aliases), realistic mess (spaces, mixed-case emails, formatted phones), a few repeated
 * customers and a few invalid rows, streamed in chunks so the file never sits in memory whole.
 */
const FIRST = ['Ana', 'Bo', 'Chloé', 'Dev', 'Farah', 'Gus', 'Li', 'Zoë', 'Maya', 'Omar', 'Priya', 'Sam'];
const LAST = ['Li', 'Nguyen', 'Smith', 'García', 'Okafor', 'Müller', 'Kowalski', 'Ng', 'Rossi', 'Baker'];
const FAVOURITES = ['Glazed', 'Chocolate', 'Vegan', 'Cold brew', 'Sprinkles', 'Maple'];

/** The header row of the export. */
export const HEADER = 'First Name,Surname,E-mail,Mobile,Birthday,Favourites,Instagram,Tags';

function row(i: number): string {
  // Every 500th row repeats an earlier customer with different casing; every 997th has a broken email.
  const n = i % 500 === 499 ? i - 250 : i;
  const email =
    i % 997 === 996
      ? `customer${n}-at-example.com`
      : i % 2
        ? ` Customer${n}@Example.com`
        : `customer${n}@example.com`;
  const month = String((n % 12) + 1).padStart(2, '0');
  const day = String((n % 28) + 1).padStart(2, '0');
  const birthday = n % 3 === 0 ? `--${month}-${day}` : `${1960 + (n % 45)}-${month}-${day}`;
  const favourites = n % 4 === 0 ? '' : `"${FAVOURITES[n % 6]}, ${FAVOURITES[(n + 1) % 6]}"`;
  return [
    FIRST[n % FIRST.length],
    LAST[(n * 7) % LAST.length],
    email,
    `(555) ${String(n % 1000).padStart(3, '0')}-${String(n % 10000).padStart(4, '0')}`,
    birthday,
    favourites,
    n % 5 === 0 ? `@donutfan${n}` : '',
    n % 10 === 0 ? 'vip' : '',
  ].join(',');
}

/**
 * Streams the export as text chunks of about 1,000 rows.
 * @param rows - Data rows to generate.
 */
export async function* posExport(rows: number): AsyncGenerator<string> {
  yield `${HEADER}\n`;
  for (let start = 0; start < rows; start += 1_000) {
    let chunk = '';
    for (let i = start; i < Math.min(rows, start + 1_000); i++) chunk += `${row(i)}\n`;
    yield chunk;
  }
}
