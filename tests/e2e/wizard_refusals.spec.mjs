// Known before trying: who may add a secret, and the two-secret cap.
import { openApp, sandboxApp } from './wizard_create.spec.mjs';

export const tests = [
  {
    name: 'Rita Reader is told she cannot add to Payroll API, and who can',
    async run(t) {
      const { page, expect } = t;
      await t.open('/');
      await t.signIn('rita');
      // Pasting the client ID finds the app too.
      const app = await sandboxApp(t, 'Payroll API');
      await openApp(t, app.appId.toUpperCase(), 'Payroll API');
      const note = page.getByTestId('access-note');
      await expect.text(note, "You can't add secrets to this app.");
      await expect.text(note, 'Dev Dan (dan@contoso.example)');
      await expect.text(note, 'Application Administrator');
      const create = page.getByRole('button', { name: 'Create a new secret' });
      expect.ok(await create.isDisabled(), 'Create is disabled for Rita');
      expect.equal((await sandboxApp(t, 'Payroll API')).passwordCredentials.length, 2, 'nothing added');
    },
  },
  {
    name: "Consumer Mobile App's two-secret cap is explained before trying",
    async run(t) {
      const { page, expect } = t;
      await t.open('/');
      await t.signIn('ada');
      await openApp(t, 'Consumer', 'Consumer Mobile App');
      // Ada may add (she is an Application Administrator); the cap still stops her.
      await expect.text(page.getByTestId('access-note'), 'Your administrator role lets you add secrets');
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
      await t.open('/');
      await t.signIn('dan');
      await openApp(t, '<img', '<img src=x onerror=alert(1)> Widget');
      expect.equal(await page.locator('img[src="x"]').count(), 0, 'no <img> element was made from the name');
      expect.ok(!alerted, 'no script ran');
    },
  },
];
