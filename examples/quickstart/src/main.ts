/**
 * DonutAuto Customers quickstart: the customer client on the embedded in-memory store.
 * Run it with `pnpm demo` from the repository root.
 */
import {
  type Customer,
  createCustomerClient,
  createMemoryAdapter,
  csvTemplate,
  isCustomerError,
} from '@donutauto/core';

const line = (title: string) => console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 60 - title.length))}`);
const show = (c: Customer) =>
  `${c.firstName} ${c.lastName} <${c.email}>` +
  (c.preferences.length ? ` likes ${c.preferences.join(', ')}` : '') +
  (c.phone ? ` · ${c.phone}` : '') +
  ` · v${c.version}`;

const adapter = createMemoryAdapter();
const customers = createCustomerClient({ adapter, organizationId: 'sunrise-donuts' });
const unsubscribe = customers.subscribe((event) =>
  console.log(`   [event] ${event.type} × ${event.ids.length}`),
);

line('1. Add customers');
const ana = await customers.add({
  firstName: ' Ana ',
  lastName: 'Li',
  email: 'Ana.Li@Example.com',
  phone: '+1 (555) 010-0199',
  preferences: ['Glazed', 'glazed', 'Cold brew'],
  instagramHandle: 'https://instagram.com/ana.eats/',
});
console.log(`   added ${show(ana)}`);
console.log(
  `   (trimmed, phone formatting stripped, duplicate preference dropped, handle ${ana.instagramHandle})`,
);
const bo = await customers.add({
  firstName: 'Bo',
  lastName: 'Nguyen',
  email: 'bo@example.com',
  dob: '--03-15',
});
console.log(`   added ${show(bo)} (birthday known without the year: ${bo.dob})`);

line('2. Validation errors are typed and name each field');
try {
  await customers.add({
    firstName: 'Cy',
    lastName: '',
    email: 'not-an-email',
    preferences: ['glazed', 'jam', 'vegan', 'sprinkles'],
  });
} catch (error) {
  if (!isCustomerError(error, 'validation_failed')) throw error;
  console.log(`   ${error.name} (${error.code})`);
  for (const issue of error.issues)
    console.log(`   · ${issue.path.join('.')}: ${issue.message} [${issue.code}]`);
}

line('3. Bulk add with duplicates');
const report = await customers.bulkAddCustomers([
  { firstName: 'Dee', lastName: 'Okafor', email: 'dee@example.com', preferences: ['Boston cream'] },
  { firstName: 'Ana', lastName: 'Again', email: 'ana.li@example.com' },
  { firstName: 'Eli', lastName: 'Rossi', email: 'eli@example.com' },
  { firstName: 'Eli', lastName: 'Twice', email: 'ELI@example.com' },
  { firstName: 'Fay', lastName: 'Baker', email: 'fay@example' },
]);
console.log(
  `   added ${report.addedCount}, skipped ${report.skippedCount}, errors ${report.errorCount} (in ${report.durationMs} ms)`,
);
for (const issue of report.issues) console.log(`   · input #${issue.index} ${issue.level}: ${issue.message}`);

line('4. Edit a field');
const edited = await customers.updateCustomerField({ id: bo.id, field: 'notes', value: 'Prefers oat milk' });
console.log(`   ${show(edited)} — notes: "${edited.notes}"`);
try {
  await customers.updateCustomerField({
    id: bo.id,
    field: 'organizationId' as 'notes',
    value: 'another-shop',
  });
} catch (error) {
  if (!isCustomerError(error, 'forbidden_field')) throw error;
  console.log(`   refused: ${error.message}`);
}
try {
  await customers.update(bo.id, { notes: 'stale edit' }, { expectedVersion: 1 });
} catch (error) {
  if (!isCustomerError(error, 'version_conflict')) throw error;
  console.log(`   refused: ${error.message}`);
}

line('5. Page through the list, newest first');
let cursor: string | null = null;
for (let pageNumber = 1; ; pageNumber++) {
  const { page, continueCursor, isDone } = await customers.list({ numItems: 2, cursor });
  console.log(`   page ${pageNumber}: ${page.map((c) => `${c.firstName} ${c.lastName}`).join(', ')}`);
  if (isDone) break;
  cursor = continueCursor;
}

line('6. Search and count');
const glazed = await customers.list({ numItems: 10, filter: { preferences: { any: ['glazed'] } } });
console.log(`   likes Glazed: ${glazed.page.map((c) => c.firstName).join(', ')}`);
console.log(`   birthdays in March: ${await customers.count({ birthdayMonth: 3 })}`);
console.log(
  `   search "li": ${(await customers.list({ numItems: 10, filter: { text: 'li' } })).page.length} match(es)`,
);
console.log(`   total customers: ${await customers.count()}`);

line('7. CSV: template, import with a row-level report, export');
const template = csvTemplate();
console.log(`   template header: ${template.split(/\r?\n/)[0]}`);
const posExport = [
  'First Name,Surname,E-mail,Mobile,Birthday,Favourites,Loyalty Tier',
  'Gus,García,gus@example.com,(555) 010-0123,03/15,"glazed, maple",gold',
  'Ana,Li,ANA.LI@example.com,,,,',
  'Hal,,hal@example.com,,,,',
  'Ivy,Chen,ivy@example.com,555-0188,1991-07-04,"vegan; coffee; jam; sprinkles",silver',
].join('\n');
const imported = await customers.importCsv(posExport, { tooManyPreferences: 'keepFirst', dateOrder: 'MDY' });
console.log(
  `   imported: added ${imported.addedCount}, skipped ${imported.skippedCount}, errors ${imported.errorCount}`,
);
for (const m of imported.mapping.columns) {
  console.log(
    `   · column "${m.column}" → ${m.target ?? '(not imported)'} [${m.match}${m.needsConfirmation ? ', please confirm' : ''}]`,
  );
}
for (const issue of imported.issues) {
  console.log(
    `   · row ${issue.row}${issue.column ? ` (${issue.column})` : ''} ${issue.level}: ${issue.message}`,
  );
}
let csv = '';
for await (const chunk of customers.exportCsv()) csv += chunk;
console.log(
  `   exported ${csv.trim().split(/\r?\n/).length - 1} customers; first line: ${csv.split(/\r?\n/)[1]}`,
);

line('8. Real-time editing: per-customer debounced saving');
const editor = customers.createEditor(bo.id, { delayMs: 200 });
await editor.load();
const states: string[] = [];
editor.subscribe((status) => {
  if (states.at(-1) !== status.state) states.push(status.state);
});
editor.set('firstName', 'Bob');
editor.set('location', 'Harbour'); // a second field within the delay: both land in one save
editor.set('phone', ''); // clearing is an edit too
console.log(`   typing… status: ${editor.status().state} (${editor.status().pendingFields.join(', ')})`);
await editor.flush();
console.log(`   states: ${states.join(' → ')}`);
console.log(
  `   stored: ${show(await customers.get(bo.id))}, location ${(await customers.get(bo.id)).location}`,
);
await editor.dispose();

unsubscribe();
