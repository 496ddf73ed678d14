// The expiry overview against the demo tenant: urgency, export, filters, hostile names.
import { readFile } from 'node:fs/promises';
import ICAL from 'ical.js';
import { openOverview } from './lib/steps.mjs';

const DAY = 24 * 3600 * 1000;

/** What the overview should call a credential ending at `end` (ISO), seen now. */
function expectedStatus(end) {
  if (!end) return 'no-expiry';
  const left = Date.parse(end) - Date.now();
  if (left <= 0) return 'expired';
  if (left <= 30 * DAY) return 'critical';
  if (left <= 90 * DAY) return 'warning';
  return 'ok';
}

/** RFC 4180 reader (CRLF records, quoted fields, doubled quotes). */
function readCsv(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else field += c;
  }
  if (field !== '' || record.length) throw new Error('the CSV does not end with CRLF');
  const [header, ...rows] = records;
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

/** An Owners cell's names: the whole list (behind "and N more" when there are many). */
const ownersText = (cell) => cell.evaluate((el) => {
  const details = el.querySelector('details');
  if (!details) return el.innerText.trim();
  return [...details.childNodes].filter((n) => n.nodeName !== 'SUMMARY').map((n) => n.textContent).join('').trim();
});

/** The row of a credential, by app name and credential description. */
const rowOf = (page, app, description) =>
  page.locator('table.ov-table tbody tr').filter({ hasText: app }).filter({ hasText: description });

async function count(page, status) {
  const text = await page.locator(`.ov-counts li[data-status="${status}"] .ov-count-number`).innerText();
  return Number(text.replace(/,/g, ''));
}

async function counts(page) {
  return {
    expired: await count(page, 'expired'),
    critical: await count(page, 'critical'),
    warning: await count(page, 'warning'),
    ok: await count(page, 'ok'),
  };
}

/** Counts the sandbox's own data says the overview should show, for apps passing `keep`. */
function expectedCounts(apps, keep = () => true) {
  const c = { expired: 0, critical: 0, warning: 0, ok: 0 };
  for (const app of apps.filter(keep)) {
    for (const cred of [...app.passwordCredentials, ...app.keyCredentials]) {
      const s = expectedStatus(cred.endDateTime);
      c[s === 'no-expiry' ? 'ok' : s] += 1;
    }
  }
  return c;
}

export const tests = [
  {
    name: 'Ada sees Legacy Reporting expired, Payroll API critical and Onboarding Portal warning, most urgent first',
    run: async (t) => {
      const { page, expect } = t;
      await openOverview(t, 'ada');
      const legacy = rowOf(page, 'Legacy Reporting', 'reporting');
      await expect.visible(legacy);
      t.expect.equal(await legacy.getAttribute('data-status'), 'expired', 'Legacy Reporting');
      await expect.text(legacy.locator('.badge'), 'Expired');
      const payroll = rowOf(page, 'Payroll API', 'payroll-2024');
      t.expect.equal(await payroll.getAttribute('data-status'), 'critical', 'Payroll API payroll-2024');
      await expect.text(payroll.locator('.badge'), 'Expires within 30 days');
      await expect.text(payroll, 'Expires in 20 days');
      const onboarding = rowOf(page, 'Onboarding Portal', 'portal');
      t.expect.equal(await onboarding.getAttribute('data-status'), 'warning', 'Onboarding Portal');
      // Urgency order: every expired row before every critical one, and so on.
      const order = ['expired', 'critical', 'warning', 'ok', 'no-expiry', 'none'];
      const statuses = await page.locator('table.ov-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.status));
      const ranks = statuses.map((s) => order.indexOf(s));
      t.expect.ok(ranks.every((r, i) => i === 0 || ranks[i - 1] <= r), `rows out of order: ${statuses.join(' ')}`);
      const state = await t.sandbox.state();
      t.expect.equal(JSON.stringify(await counts(page)), JSON.stringify(expectedCounts(state.applications)), 'counts');
      await expect.text(page.locator('.ov-months'), 'When credentials expire');
    },
  },
  {
    name: 'the CSV export has one row per credential with the right status (and JSON the same rows)',
    run: async (t) => {
      const { page } = t;
      await openOverview(t, 'ada');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export CSV' }).click(),
      ]);
      const today = new Date();
      const ymd = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
      t.expect.equal(download.suggestedFilename(), `secret-expiry-${ymd}.csv`, 'file name');
      const rows = readCsv(await readFile(await download.path(), 'utf8'));
      const state = await t.sandbox.state();
      const creds = state.applications.flatMap((app) =>
        [...app.passwordCredentials, ...app.keyCredentials].map((c) => ({ app, c })));
      const credRows = rows.filter((r) => r.kind !== 'none');
      t.expect.equal(credRows.length, creds.length, 'one CSV row per credential');
      for (const { app, c } of creds) {
        const matches = credRows.filter((r) => r.key_id === c.keyId);
        t.expect.equal(matches.length, 1, `rows for keyId ${c.keyId} of ${app.displayName}`);
        const r = matches[0];
        t.expect.equal(r.client_id, app.appId, `${app.displayName} client ID`);
        t.expect.equal(r.status, expectedStatus(c.endDateTime), `${app.displayName} ${c.displayName} status`);
        // Whole seconds, as Graph itself reports them.
        t.expect.equal(Date.parse(r.end), Math.floor(Date.parse(c.endDateTime) / 1000) * 1000, `${app.displayName} end`);
      }
      const noCreds = state.applications.filter((a) => !a.passwordCredentials.length && !a.keyCredentials.length);
      t.expect.equal(rows.length - credRows.length, noCreds.length, 'one "none" row per app without credentials');
      // Metadata only: no secret value of the sandbox appears in the file.
      const text = await readFile(await download.path(), 'utf8');
      for (const { c } of creds) {
        if (c.secretText) t.expect.ok(!text.includes(c.secretText), 'a secret value is in the export');
      }
      const [json] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export JSON' }).click(),
      ]);
      t.expect.equal(json.suggestedFilename(), `secret-expiry-${ymd}.json`, 'JSON file name');
      const objects = JSON.parse(await readFile(await json.path(), 'utf8'));
      t.expect.equal(objects.length, rows.length, 'JSON rows');
      const legacy = objects.find((o) => o.appName === 'Legacy Reporting');
      t.expect.equal(legacy.status, 'expired', 'JSON Legacy Reporting');
      t.expect.ok(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(legacy.end), `ISO end date, got ${legacy.end}`);
    },
  },
  {
    name: 'the calendar export has one event per expiring credential with 90/30/7-day alarms and stable UIDs',
    run: async (t) => {
      const { page } = t;
      await openOverview(t, 'ada');
      const exportIcs = async () => {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: 'Add reminders to your calendar (.ics)' }).click(),
        ]);
        t.expect.ok(/^secret-expiry-\d{4}-\d\d-\d\d\.ics$/.test(download.suggestedFilename()), download.suggestedFilename());
        return readFile(await download.path(), 'utf8');
      };
      const text = await exportIcs();
      // Read back with ical.js (Mozilla's RFC 5545 parser, as in Thunderbird).
      const cal = new ICAL.Component(ICAL.parse(text));
      t.expect.equal(cal.name, 'vcalendar', 'a VCALENDAR');
      t.expect.equal(cal.getFirstPropertyValue('version'), '2.0', 'VERSION');
      const events = cal.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
      const state = await t.sandbox.state();
      const creds = state.applications.flatMap((app) =>
        [...app.passwordCredentials, ...app.keyCredentials].filter((c) => c.endDateTime).map((c) => ({ app, c })));
      t.expect.equal(events.length, creds.length, 'one event per credential with an end date');
      for (const { app, c } of creds) {
        const ev = events.find((e) => e.uid === `${c.keyId}.${app.id}@secret-wizard`);
        t.expect.ok(ev, `an event for ${app.displayName} ${c.keyId}`);
        t.expect.equal(ev.startDate.toJSDate().getTime(), Math.floor(Date.parse(c.endDateTime) / 1000) * 1000, `${app.displayName} expiry`);
        t.expect.ok(ev.summary.includes(app.displayName), `summary names the app: ${ev.summary}`);
        t.expect.ok(ev.description.includes(`Client ID: ${app.appId}`), 'description has the client ID');
        const alarms = ev.component.getAllSubcomponents('valarm').map((a) => a.getFirstPropertyValue('trigger').toSeconds());
        t.expect.equal(JSON.stringify(alarms), JSON.stringify([-90, -30, -7].map((d) => d * 86400)), `${app.displayName} alarms`);
        t.expect.ok(ev.component.getAllSubcomponents('valarm').every((a) => a.getFirstPropertyValue('action') === 'DISPLAY'), 'display alarms');
        if (c.secretText) t.expect.ok(!text.includes(c.secretText), 'a secret value is in the calendar');
      }
      // Exported again, the same UIDs: a re-import updates the events instead of adding copies.
      const again = new ICAL.Component(ICAL.parse(await exportIcs()));
      const uids = (c) => c.getAllSubcomponents('vevent').map((e) => e.getFirstPropertyValue('uid')).sort().join();
      t.expect.equal(uids(again), uids(cal), 'stable UIDs');
      t.expect.ok(text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75), 'lines folded at 75 octets');
    },
  },
  {
    name: 'the Owners column, the CSV/JSON owners and the calendar match the sandbox, with an app of more than 20 owners in one batch',
    run: async (t) => {
      const { page, expect } = t;
      const owners = [];
      page.on('request', (r) => {
        const url = decodeURIComponent(r.url());
        if (r.method() !== 'OPTIONS' && (url.includes('$expand=owners') || url.endsWith('/$batch'))) {
          owners.push({ method: r.method(), url, body: r.postData() });
        }
      });
      await openOverview(t, 'ada');
      await expect.visible(page.getByRole('columnheader', { name: 'Owners' }), { timeout: 20_000 });
      const state = await t.sandbox.state();
      const partner = state.applications.find((a) => a.displayName === 'Partner Integration');
      t.expect.equal(partner.ownerNames.length, 24, 'the demo seed gives Partner Integration 24 owners');
      // One page of $expand (17 apps, at most 20 owners each), then one $batch for the app that
      // came with 20, nothing more.
      t.expect.equal(owners.length, 2, `owner requests: ${JSON.stringify(owners.map((o) => o.url))}`);
      t.expect.ok(owners[0].method === 'GET' && owners[0].url.includes('$expand=owners($select=id,displayName,userPrincipalName)'), owners[0].url);
      t.expect.equal(owners[1].method, 'POST', 'then a batch');
      const batch = JSON.parse(owners[1].body).requests;
      t.expect.equal(batch.length, 1, 'one full list asked for');
      t.expect.ok(batch[0].url.startsWith(`/applications/${partner.id}/owners?`), batch[0].url);

      // The table: each row's Owners cell, as the sandbox names them.
      const cellOf = (app) =>
        ownersText(page.locator('table.ov-table tbody tr').filter({ hasText: app.displayName }).first().locator('td.ov-owners'));
      for (const name of ['Payroll API', 'Legacy Reporting', 'Partner Integration', 'Data Warehouse Sync']) {
        const app = state.applications.find((a) => a.displayName === name);
        const want = app.ownerNames.length ? app.ownerNames.join(', ') : 'None';
        t.expect.equal(await cellOf(app), want, `${name} owners in the table`);
      }
      t.expect.ok((await cellOf(partner)).includes('Contoso Owner 21, Payroll Worker'), 'past the first 20, a service principal last');
      const summary = page.locator('table.ov-table tbody tr').filter({ hasText: 'Partner Integration' }).locator('td.ov-owners summary');
      await expect.text(summary, 'Dev Dan, Ada Admin, and 22 more');

      // CSV and JSON: every row's owners.
      const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
      const rows = readCsv(await readFile(await csv.path(), 'utf8'));
      const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
      const objects = JSON.parse(await readFile(await json.path(), 'utf8'));
      t.expect.equal(objects.length, rows.length, 'as many JSON objects as CSV rows');
      for (const app of state.applications) {
        for (const r of rows.filter((x) => x.app_object_id === app.id)) {
          t.expect.equal(r.owners, app.ownerNames.join('; '), `${app.displayName} CSV owners`);
        }
        for (const o of objects.filter((x) => x.appObjectId === app.id)) {
          t.expect.equal(JSON.stringify(o.owners), JSON.stringify(app.ownerNames), `${app.displayName} JSON owners`);
        }
      }

      // The calendar names them too.
      const [ics] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Add reminders to your calendar (.ics)' }).click(),
      ]);
      const cal = new ICAL.Component(ICAL.parse(await readFile(await ics.path(), 'utf8')));
      const events = cal.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
      const partnerEvent = events.find((e) => e.summary.includes('Partner Integration'));
      t.expect.ok(partnerEvent.description.includes(`Owners: ${partner.ownerNames.join(', ')}`), partnerEvent.description);
      const legacyEvent = events.find((e) => e.summary.includes('Legacy Reporting'));
      t.expect.ok(legacyEvent.description.includes('Owners: none'), legacyEvent.description);
    },
  },
  {
    name: 'a throttled full owners list is asked for again after its Retry-After; a refused batch keeps the first 20 owners, marked',
    run: async (t) => {
      const { page, expect } = t;
      t.allowConsoleError(/^Failed to load resource: the server responded with a status of 403 /);
      const batches = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith('/$batch')) batches.push(Date.now());
      });
      const state = await t.sandbox.state();
      const partner = state.applications.find((a) => a.displayName === 'Partner Integration');
      // Inside the batch, Partner Integration's full list is throttled once: asked for again.
      await t.sandbox.fault({
        method: 'GET', path: `/graph/v1.0/applications/${partner.id}/owners`, status: 429,
        headers: { 'Retry-After': '1' },
        body: { error: { code: 'TooManyRequests', message: 'Too many requests.' } },
      });
      await openOverview(t, 'ada');
      await expect.visible(page.getByRole('columnheader', { name: 'Owners' }), { timeout: 20_000 });
      const cell = page.locator('table.ov-table tbody tr').filter({ hasText: 'Partner Integration' }).first().locator('td.ov-owners');
      await expect.visible(cell.locator('summary'));
      t.expect.ok((await ownersText(cell)).endsWith('Contoso Owner 21, Payroll Worker'), 'all 24 after the retry');
      t.expect.equal(batches.length, 2, 'the throttled list was asked for once more');
      // Its Retry-After (1 s) is read from the batch's JSON and waited for.
      t.expect.ok(batches[1] - batches[0] >= 900, `waited ${batches[1] - batches[0]} ms before asking again`);

      // The whole batch refused: Partner Integration keeps the 20 owners $expand gave, marked.
      await t.sandbox.fault({
        method: 'POST', path: '/graph/v1.0/$batch', status: 403,
        body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } },
      });
      await page.reload();
      await page.getByRole('button', { name: 'Expiry overview' }).click();
      await expect.visible(page.getByRole('columnheader', { name: 'Owners' }), { timeout: 20_000 });
      const cut = page.locator('table.ov-table tbody tr').filter({ hasText: 'Partner Integration' }).first().locator('td.ov-owners');
      await expect.visible(cut.locator('summary'));
      t.expect.equal(await ownersText(cut), `${partner.ownerNames.slice(0, 20).join(', ')} (and maybe more)`, 'the first 20, marked');
      t.expect.ok((await page.locator('table.ov-table tbody tr').count()) > 0, 'the rows stay');
    },
  },
  {
    name: 'status chips narrow the table; owned-by-me and search change the counts',
    run: async (t) => {
      const { page, expect } = t;
      await openOverview(t, 'ada');
      const state = await t.sandbox.state();
      const ada = 'a0a0a0a0-0000-4000-8000-00000000ada1';
      const all = await counts(page);
      await page.getByLabel(/^Expired \(/).uncheck();
      await expect.hidden(rowOf(page, 'Legacy Reporting', 'reporting'));
      t.expect.equal(JSON.stringify(await counts(page)), JSON.stringify(all), 'chips leave the counts alone');
      await page.getByLabel(/^Expired \(/).check();
      await expect.visible(rowOf(page, 'Legacy Reporting', 'reporting'));

      await page.getByLabel('Only apps I own').check();
      const mine = expectedCounts(state.applications, (a) => a.owners.includes(ada));
      await expect.hidden(rowOf(page, 'Payroll API', 'payroll-2024'));
      t.expect.equal(JSON.stringify(await counts(page)), JSON.stringify(mine), 'counts of Ada\'s apps');
      t.expect.ok(JSON.stringify(mine) !== JSON.stringify(all), 'owning fewer apps changes the counts');
      await page.getByLabel('Only apps I own').uncheck();

      await page.getByLabel('Search').fill('PAYROLL');
      await expect.hidden(rowOf(page, 'Legacy Reporting', 'reporting'));
      const payroll = expectedCounts(state.applications, (a) => a.displayName === 'Payroll API');
      t.expect.equal(JSON.stringify(await counts(page)), JSON.stringify(payroll), 'counts for "PAYROLL"');
      const rows = await page.locator('table.ov-table tbody tr').count();
      t.expect.equal(rows, 2, 'Payroll API has two secrets');
    },
  },
  {
    name: 'Dan sees only his apps under "Only apps I own"',
    run: async (t) => {
      const { page, expect } = t;
      await openOverview(t, 'dan');
      await page.getByLabel('Only apps I own').check();
      await expect.hidden(rowOf(page, 'Legacy Reporting', 'reporting'));
      const state = await t.sandbox.state();
      const dan = 'd0d0d0d0-0000-4000-8000-00000000da11';
      const names = new Set(state.applications.filter((a) => a.owners.includes(dan)).map((a) => a.displayName));
      const shown = await page.locator('table.ov-table tbody tr th').evaluateAll((ths) =>
        ths.map((th) => th.querySelector('button, .app-name-text')?.textContent ?? th.firstChild.textContent));
      t.expect.ok(shown.length > 0, 'some rows');
      for (const n of shown) t.expect.ok(names.has(n), `${n} is not Dan's`);
    },
  },
  {
    name: 'the owned apps are looked up only when "Only apps I own" is ticked; a failed lookup keeps every app',
    run: async (t) => {
      const { page, expect } = t;
      t.allowConsoleError(/^Failed to load resource: the server responded with a status of 403 /);
      const lookups = [];
      page.on('request', (r) => {
        if (r.method() === 'GET' && r.url().includes('/me/ownedObjects')) lookups.push(r.url());
      });
      await openOverview(t, 'dan');
      const all = await page.locator('table.ov-table tbody tr').count();
      t.expect.equal(lookups.length, 0, 'no owned lookup while nobody asked for it');
      await expect.hidden(page.getByRole('columnheader', { name: 'Yours' }));
      await t.sandbox.fault({
        method: 'GET', path: '/graph/v1.0/me/ownedObjects/microsoft.graph.application', status: 403,
        body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } },
      });
      const owned = page.getByLabel('Only apps I own');
      // click, not check(): the refusal can untick the box before check() looks at it again.
      await owned.click();
      await expect.text(page.locator('.ov-owned [role=status]'), '"Only apps I own" is unavailable');
      await expect.text(page.locator('.ov-owned [role=status]'), 'Authorization_RequestDenied');
      t.expect.ok(await owned.isDisabled(), 'the checkbox is off and disabled');
      t.expect.ok(!(await owned.isChecked()), 'the checkbox is unticked');
      t.expect.equal(await page.locator('table.ov-table tbody tr').count(), all, 'every app is still listed');
      t.expect.equal(lookups.length, 1, 'one lookup, not retried behind the user\'s back');
    },
  },
  {
    name: 'ticking "Only apps I own" adds the Yours column, with one lookup per load',
    run: async (t) => {
      const { page, expect } = t;
      const lookups = [];
      page.on('request', (r) => {
        if (r.method() === 'GET' && r.url().includes('/me/ownedObjects')) lookups.push(r.url());
      });
      await openOverview(t, 'ada');
      await page.getByLabel('Only apps I own').check();
      await expect.visible(page.getByRole('columnheader', { name: 'Yours' }));
      await expect.hidden(rowOf(page, 'Payroll API', 'payroll-2024'));
      await page.getByLabel('Only apps I own').uncheck();
      await expect.visible(rowOf(page, 'Payroll API', 'payroll-2024'));
      await page.getByLabel('Only apps I own').check();
      await expect.hidden(rowOf(page, 'Payroll API', 'payroll-2024'));
      t.expect.equal(lookups.length, 1, 'looked up once, then remembered');
    },
  },
  {
    name: 'an app name in the overview opens that app in the wizard',
    run: async (t) => {
      const { page, expect } = t;
      await openOverview(t, 'dan');
      await rowOf(page, 'Payroll API', 'payroll-2024').getByRole('button', { name: 'Payroll API' }).click();
      await expect.visible(page.getByRole('heading', { level: 2, name: 'Payroll API', exact: true }), { timeout: 15_000 });
      t.expect.equal(
        await page.getByRole('button', { name: 'Create a secret' }).getAttribute('aria-current'),
        'page',
        'the page bar shows the wizard',
      );
      await expect.visible(page.getByRole('button', { name: 'Create a new secret' }));
    },
  },
  {
    name: 'a hostile app name and description render as text',
    run: async (t) => {
      const { page, expect } = t;
      let dialog = null;
      page.on('dialog', (d) => {
        dialog = d.message();
        d.dismiss().catch(() => {});
      });
      await openOverview(t, 'ada');
      const hostile = '<img src=x onerror=alert(1)> Widget';
      const row = page.locator('table.ov-table tbody tr').filter({ hasText: hostile });
      await expect.visible(row);
      t.expect.equal(await row.locator('img, script').count(), 0, 'markup from the directory');
      t.expect.equal(await page.locator('table.ov-table img').count(), 0, 'images in the table');
      await page.getByLabel('Search').fill('<img');
      await expect.visible(row);
      t.expect.equal(dialog, null, 'a script ran');
    },
  },
];
