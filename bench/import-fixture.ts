/**
 * Writes the import benchmark's CSV: realistic customer rows in template column order (quoted
 * multi-preference cells, phones with `+`, some year-less birthdays, tags, a few messy rows and
 * in-file duplicates), streamed to disk so generating it takes little memory.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { fixtureDob } from './fixture-dob';

const PREFS = ['glazed', 'chocolate', 'vegan', 'coffee', 'sprinkles', 'gluten-free'];
const FIRST = ['Ana', 'Bo', 'Chloé', 'Dev', 'Eun-ji', 'Farah', 'Gus', "O'Neil", 'Zoë', 'Li'];
const LAST = ['Li', 'Nguyen', 'Smith', 'García', 'Okafor', 'Müller', 'Kowalski', 'Ng', 'Rossi', 'Baker'];

/** One data line of the fixture. */
export function fixtureLine(i: number): string {
  const prefs = `"${PREFS[i % 6]}, ${PREFS[(i + 1) % 6]}${i % 3 === 0 ? `, ${PREFS[(i + 3) % 6]}` : ''}"`;
  const dob = fixtureDob(i);
  const email = i % 1000 === 999 ? `customer${i - 1}@example.com` : `customer${i}@example.com`;
  return [
    FIRST[i % 10],
    LAST[(i >> 3) % 10],
    email,
    `+1555${String(i).padStart(7, '0')}`,
    dob,
    prefs,
    i % 4 === 0 ? `fan${i}` : '',
    '',
    i % 9 === 0 ? `tw_${i}` : '',
    '',
    i % 2 === 0 ? 'Downtown' : 'Harbour',
    i % 7 === 0 ? '"Allergic to nuts, prefers oat milk"' : '',
    i % 10 === 0 ? 'vip' : '',
  ].join(',');
}

/**
 * Writes `rows` data rows plus the header to `path`.
 * @returns The file size in bytes.
 */
export async function writeFixture(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(
    'firstName,lastName,email,phone,dob,preferences,instagramHandle,tiktokHandle,twitterHandle,gender,location,notes,tags\r\n',
  );
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += `${fixtureLine(i)}\r\n`;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  out.end();
  await once(out, 'finish');
  return bytes;
}
