// Known before trying: who may add a secret, and the two-secret cap.
import { createWith, openApp, openAppAs, signedIn } from './lib/steps.mjs';
import { sandboxApp } from './lib/records.mjs';

export const tests = [
  {
    // Never a refusal on a guess: Review says "probably not" and who can help, Create
    // stays offered, and only Graph's 403 says "you can't" (then Create closes).
    name: "Rita Reader probably cannot add to Payroll API: she may try, and Graph's 403 is explained with who can",
    timeout: 45_000,
    async run(t) {
      const { page, expect } = t;
      // The browser logs the refused addPassword (403) itself.
      t.allowConsoleError(/Failed to load resource: the server responded with a status of 403/);
      await signedIn(t, 'rita');
      // Pasting the client ID finds the app too.
      const app = await sandboxApp(t, 'Payroll API');
      await openApp(t, app.appId.toUpperCase(), 'Payroll API');
      const note = page.getByTestId('access-note');
      await expect.text(note, "you probably can't add a secret here");
      await expect.text(note, 'Dev Dan (dan@contoso.example)');
      const create = page.getByRole('button', { name: 'Create a new secret' });
      expect.ok(!(await create.isDisabled()), 'Create is offered: Microsoft Graph decides');
      await createWith(t, '90 days');
      const alert = page.locator('.error-panel');
      await expect.text(alert, "You can't add secrets to this app.");
      await expect.text(alert, 'Dev Dan (dan@contoso.example)');
      await expect.text(alert, 'Application Administrator');
      expect.equal((await sandboxApp(t, 'Payroll API')).passwordCredentials.length, 2, 'nothing added');
      await page.getByRole('button', { name: 'Back', exact: true }).click();
      await expect.text(note, "You can't add secrets to this app: Microsoft Graph refused.");
      expect.ok(await create.isDisabled(), "Create is closed once Graph has said no");
    },
  },
  {
    name: "Consumer Mobile App's two-secret cap is explained before trying",
    async run(t) {
      const { page, expect } = t;
      await openAppAs(t, 'ada', 'Consumer', 'Consumer Mobile App');
      // Ada may add (she owns it); the cap still stops her.
      await expect.text(page.getByTestId('access-note'), 'You own this app');
      await expect.text(
        page.getByTestId('cap-note'),
        'This app accepts personal Microsoft accounts, which limits it to two secrets. Remove an old one first (after its consumers are updated).',
      );
      expect.ok(await page.getByRole('button', { name: 'Create a new secret' }).isDisabled(), 'Create is disabled at the cap');
      // The app's row in search showed the count that explains it.
      await page.getByRole('button', { name: 'Back to search' }).click();
      const row = page.getByRole('row').filter({ has: page.getByRole('button', { name: 'Consumer Mobile App' }) });
      await expect.text(row, '2');
    },
  },
  {
    name: 'a name with markup is shown as text, not run',
    async run(t) {
      const { page, expect } = t;
      let alerted = false;
      page.on('dialog', (d) => {
        alerted = true;
        d.dismiss().catch(() => {});
      });
      await openAppAs(t, 'dan', '<img', '<img src=x onerror=alert(1)> Widget');
      expect.equal(await page.locator('img[src="x"]').count(), 0, 'no <img> element was made from the name');
      expect.ok(!alerted, 'no script ran');
    },
  },
];
