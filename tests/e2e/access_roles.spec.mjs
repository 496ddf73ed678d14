// Who may add a secret: never a refusal on a guess. Owners, the sign-in's
// wids and (with the optional RoleManagement.Read.Directory) role assignments say "you can";
// otherwise Review says "probably not" and still offers Create; only Graph's 403 says "you can't".
import { copied, createWith, finish, openApp, openAppAs, shownKeyId } from './lib/steps.mjs';
import { sandboxApp } from './lib/records.mjs';

const REQUIRED = ['Application.ReadWrite.All', 'User.Read'];

/** Creates a 90-day secret from Review and checks Graph issued it; then copies it and finishes. */
async function createAndFinish(t, appName) {
  const { expect } = t;
  const before = (await sandboxApp(t, appName)).passwordCredentials.length;
  await createWith(t, '90 days');
  const keyId = await shownKeyId(t);
  const app = await sandboxApp(t, appName);
  expect.equal(app.passwordCredentials.length, before + 1, `a secret was added to ${appName}`);
  t.expect.ok(app.passwordCredentials.some((c) => c.keyId === keyId), 'the page shows the new keyId');
  await copied(t);
  await finish(t);
}

const roleRequests = (t) => t.requests.filter((r) => r.url.includes('/roleManagement/') || r.url.includes('/transitiveMemberOf/'));

export const tests = [
  {
    name: 'the Global Administrator adds a secret to Legacy Reporting, though the app cannot see her role',
    timeout: 45_000,
    async run(t) {
      const { page, expect } = t;
      await openAppAs(t, 'gina', 'Legacy', 'Legacy Reporting');
      const note = page.getByTestId('access-note');
      // Not an owner (it has none), no wids, no RoleManagement.Read.Directory: probably not...
      await expect.text(note, "we found no role that lets you add credentials to it, so you probably can't add a secret here");
      await expect.text(note, 'this app has no owners');
      await expect.text(page.getByTestId('access-aside'), 'optional RoleManagement.Read.Directory permission');
      // ...but Create is offered, and Graph says yes.
      expect.ok(!(await page.getByRole('button', { name: 'Create a new secret' }).isDisabled()), 'Create is offered');
      await createAndFinish(t, 'Legacy Reporting');
      expect.equal(roleRequests(t).length, 0, 'without the permission, role assignments are not asked for');
    },
  },
  {
    name: 'with RoleManagement.Read.Directory granted, the Global Administrator is told her role lets her',
    timeout: 45_000,
    async run(t) {
      const { page, expect } = t;
      await t.sandbox.consent({ graph: [...REQUIRED, 'RoleManagement.Read.Directory'] });
      await openAppAs(t, 'gina', 'Legacy', 'Legacy Reporting');
      await expect.text(
        page.getByTestId('access-note'),
        'Your role Global Administrator lets you add secrets to any app in your organisation.',
      );
      expect.equal(await page.getByTestId('access-aside').count(), 0, 'nothing left unseen');
      const asked = roleRequests(t).map((r) => decodeURIComponent(r.url));
      t.expect.ok(asked.some((u) => u.includes("/roleManagement/directory/roleAssignments?$filter=principalId eq 'b0b0b0b0-0000-4000-8000-0000000091aa'&$expand=roleDefinition")), asked.join('\n'));
      t.expect.ok(asked.some((u) => u.includes('/me/transitiveMemberOf/microsoft.graph.group?$select=id')), 'her groups too');
      await createAndFinish(t, 'Legacy Reporting');
    },
  },
  {
    name: 'the custom-role persona adds a secret to Payroll API (a role held through a group)',
    timeout: 45_000,
    async run(t) {
      const { page, expect } = t;
      await openAppAs(t, 'rory', 'Payroll', 'Payroll API');
      const note = page.getByTestId('access-note');
      await expect.text(note, "you probably can't add a secret here. You can still try: Microsoft Graph decides.");
      await expect.text(note, 'ask its owners (Dev Dan (dan@contoso.example))');
      await createAndFinish(t, 'Payroll API');
    },
  },
  {
    name: 'with the permission but no role that may read role assignments, the custom-role persona is told why roles are unseen',
    timeout: 30_000,
    async run(t) {
      const { page, expect } = t;
      // The roleAssignments list answers 403 to a user without a reader role (its page's note).
      t.allowConsoleError(/Failed to load resource: the server responded with a status of 403/);
      await t.sandbox.consent({ graph: [...REQUIRED, 'RoleManagement.Read.Directory'] });
      await openAppAs(t, 'rory', 'Payroll', 'Payroll API');
      await expect.text(page.getByTestId('access-aside'), 'that also needs a role that may read them, such as Directory Readers or Global Reader');
      expect.ok(!(await page.getByRole('button', { name: 'Create a new secret' }).isDisabled()), 'Create is offered');
    },
  },
  {
    name: "the app-scoped persona adds a secret to Inventory Service, sees 'probably not' on Payroll API, tries, and gets Graph's 403 explained with the owners",
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      // The browser logs the refused addPassword (403) itself.
      t.allowConsoleError(/Failed to load resource: the server responded with a status of 403/);
      await openAppAs(t, 'sam', 'Inventory', 'Inventory Service');
      await createAndFinish(t, 'Inventory Service');

      await page.getByRole('button', { name: 'Choose another app' }).click();
      await openApp(t, 'Payroll', 'Payroll API');
      const note = page.getByTestId('access-note');
      await expect.text(note, "you probably can't add a secret here");
      await expect.text(note, 'Dev Dan (dan@contoso.example)');
      const create = page.getByRole('button', { name: 'Create a new secret' });
      expect.ok(!(await create.isDisabled()), 'Sam may still try');
      const before = (await sandboxApp(t, 'Payroll API')).passwordCredentials.length;
      await createWith(t, '90 days');
      const alert = page.locator('.error-panel');
      await expect.text(
        alert,
        "You can't add secrets to this app. Its owners (Dev Dan (dan@contoso.example)) or an Application Administrator can; ask one of them, or ask to be added as an owner.",
      );
      await expect.text(alert, 'Authorization_RequestDenied');
      expect.equal((await sandboxApp(t, 'Payroll API')).passwordCredentials.length, before, 'nothing was added');
      // Back on Review, Graph's answer stands: now it is "you can't", and Create is closed.
      await page.getByRole('button', { name: 'Back', exact: true }).click();
      await expect.text(note, "You can't add secrets to this app: Microsoft Graph refused.");
      await expect.text(note, 'Its owners (Dev Dan (dan@contoso.example))');
      expect.ok(await create.isDisabled(), 'Create is closed after the refusal');
    },
  },
];
