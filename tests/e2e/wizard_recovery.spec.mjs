// Never lost: addPassword's response is dropped after the sandbox created the secret. The app
// looks, finds the orphan by its description, removes it when asked, and offers a new one.
import { createWith, openAppAs } from './lib/steps.mjs';
import { sandboxApp } from './lib/records.mjs';
import { expectNoTrace } from './lib/checks.mjs';

export const tests = [
  {
    name: 'a lost addPassword response ends with the orphan found and removed',
    timeout: 45_000,
    async run(t) {
      const { page, expect } = t;
      // The browser logs the dropped connection itself.
      t.allowConsoleError(/Failed to load resource|ERR_EMPTY_RESPONSE|ERR_CONNECTION|blocked by CORS policy/);
      await openAppAs(t, 'dan', 'Payroll', 'Payroll API');
      const before = (await sandboxApp(t, 'Payroll API')).passwordCredentials.map((c) => c.keyId);
      // Chromium resends a request by itself when a reused connection closes before any
      // answer, so drop every attempt: the app must end up with no answer at all.
      await t.sandbox.fault({ method: 'POST', path: '/graph/v1.0/applications/*/addPassword', count: 3, dropAfterAction: true });
      await createWith(t, '90 days');

      await expect.visible(page.getByRole('heading', { name: 'The connection dropped' }));
      const message = page.getByRole('alert').filter({ hasText: 'We checked' });
      const text = await expect.text(message, /value(s are| is) lost\. Remove (it|them)\?/, { timeout: 15_000 });
      const orphans = (await sandboxApp(t, 'Payroll API')).passwordCredentials.filter((c) => !before.includes(c.keyId));
      expect.ok(orphans.length >= 1, 'the sandbox created the secret before dropping the answer');
      const name = orphans[0].displayName;
      expect.ok(orphans.every((o) => o.displayName === name), 'every orphan has this attempt\'s description');
      const one = orphans.length === 1;
      expect.includes(
        text,
        one
          ? `The connection dropped after the secret may have been created. We checked: a secret "${name}" was created at `
          : `The connection dropped after the secret may have been created. We checked: ${orphans.length} secrets "${name}" were created at `,
      );
      expect.ok(/created at \d{2}:\d{2} /.test(text), `a time in the message: ${text}`);

      await page.getByRole('button', { name: one ? 'Remove it' : 'Remove them' }).click();
      const dialog = page.getByRole('alertdialog');
      await expect.text(dialog, name);
      await dialog.getByRole('button', { name: one ? 'Remove secret' : 'Remove secrets' }).click();
      await expect.text(page.getByRole('status').filter({ hasText: 'Removed' }), `"${name}"`);
      const after = (await sandboxApp(t, 'Payroll API')).passwordCredentials.map((c) => c.keyId);
      expect.equal(JSON.stringify(after), JSON.stringify(before), 'the orphans are gone, the rest untouched');
      await t.sandbox.clearFaults();

      await page.getByRole('button', { name: 'Create a new one' }).click();
      await expect.visible(page.getByLabel('Description'));
      const description = await page.getByLabel('Description').inputValue();
      expect.ok(description !== name, 'the next attempt has a new description');
      for (const o of orphans) {
        await expectNoTrace(t, o.secretText);
        await t.hygiene(o.secretText);
      }
    },
  },
];
