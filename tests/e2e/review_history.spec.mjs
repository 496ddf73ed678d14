// Issue 16 §3: Review's History — who added or removed an app's credentials, and when, from the
// directory audit log; without the permissions it says what to grant (and sends nothing); without
// a role that reads audit logs, Graph's refusal says which roles can.
import { copied, finish, newSecret, openAppAs } from './lib/steps.mjs';
import { sent } from './lib/records.mjs';
import { expectHttpErrors } from './lib/checks.mjs';

const REQUIRED = ['Application.ReadWrite.All', 'User.Read'];
const WITH_AUDIT = [...REQUIRED, 'AuditLog.Read.All', 'Directory.Read.All'];
const SHOW = 'Show who changed its credentials';

function auditReads(t) {
  return sent(t, 'GET', (p) => p.endsWith('/auditLogs/directoryAudits'));
}

export const tests = [
  {
    name: 'the history shows the secret Ada just added, with who and when',
    timeout: 90_000,
    async run(t) {
      const { page, expect } = t;
      await t.sandbox.consent({ graph: WITH_AUDIT });
      // Directory.Read.All also lets the app ask for role assignments, which Ada may not read.
      expectHttpErrors(t, 403);
      await openAppAs(t, 'ada', 'Payroll', 'Payroll API');
      await newSecret(t);
      const description = page.getByLabel('Description');
      await description.fill('audit trail e2e');
      await page.getByRole('button', { name: 'Create secret' }).click();
      await expect.visible(page.getByRole('heading', { name: 'Your new secret' }));
      const keyId = (await page.getByTestId('secret-key-id').innerText()).trim();
      await copied(t);
      await finish(t);
      await page.evaluate(() => navigator.clipboard.writeText(''));
      await page.getByRole('button', { name: 'Back to Payroll API' }).click();
      await expect.visible(page.getByRole('heading', { level: 2, name: 'Payroll API', exact: true }));

      await page.getByRole('button', { name: SHOW }).click();
      const table = page.getByTestId('history-table');
      await expect.visible(table);
      const first = table.locator('tbody tr').first();
      await expect.text(first, '\u201caudit trail e2e\u201d');
      await expect.text(first, 'Added the secret');
      await expect.text(first, 'Ada Admin');
      // When: today, in the page's time zone ("4 Dec 2026, 12:40").
      const today = await page.evaluate(() => new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }));
      await expect.text(first.locator('td').first(), today);
      // The page asked Graph for this app's entries only, with the documented filter.
      const [read] = auditReads(t);
      const url = new URL(read.url);
      const { id } = (await t.sandbox.state()).applications.find((a) => a.displayName === 'Payroll API');
      expect.ok(url.searchParams.get('$filter').includes(`targetResources/any(t:t/id eq '${id}')`), url.search);
      // The secret named is the one created: its keyId is on the app in the sandbox.
      const payroll = (await t.sandbox.state()).applications.find((a) => a.displayName === 'Payroll API');
      const created = payroll.passwordCredentials.find((c) => c.keyId === keyId);
      expect.equal(created && created.displayName, 'audit trail e2e', 'the sandbox holds the secret the history names');
    },
  },
  {
    name: 'without AuditLog.Read.All the history says what to grant and asks Graph nothing',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      await openAppAs(t, 'ada', 'Payroll', 'Payroll API');
      await page.getByRole('button', { name: SHOW }).click();
      const note = page.getByTestId('history-note');
      await expect.text(note, 'AuditLog.Read.All');
      await expect.text(note, 'Directory.Read.All');
      await expect.text(note, 'admin consent');
      expect.equal(auditReads(t).length, 0, 'no audit request without the permissions');
    },
  },
  {
    name: 'with the permissions but no role that reads audit logs, Graph refuses and the page names the roles',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      await t.sandbox.consent({ graph: WITH_AUDIT });
      expectHttpErrors(t, 403); // the role lookup, and the audit log's refusal itself
      await openAppAs(t, 'dan', 'Payroll', 'Payroll API');
      await page.getByRole('button', { name: SHOW }).click();
      const note = page.getByTestId('history-note');
      await expect.text(note, 'may not read the audit log');
      await expect.text(note, 'Reports Reader');
      expect.equal(auditReads(t).length, 1, 'one request, refused');
    },
  },
];
