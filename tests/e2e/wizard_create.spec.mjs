// The wizard, part 1: find an app, create a secret, see it once, leave nothing behind.
import { copied, createSecret, createWith, finish, MASK, openAppAs } from './lib/steps.mjs';
import { credentialOf, sandboxApp } from './lib/records.mjs';
import { expectNoTrace } from './lib/checks.mjs';

/** The value the page shows after Reveal (then hidden again). */
async function revealed(t) {
  const { page, expect } = t;
  const field = page.getByTestId('secret-value');
  const toggle = page.getByRole('button', { name: 'Reveal' });
  expect.equal(await toggle.getAttribute('aria-pressed'), 'false', 'masked at first');
  expect.equal(await field.innerText(), MASK, 'the field shows only the mask');
  await toggle.click();
  const hide = page.getByRole('button', { name: 'Hide' });
  expect.equal(await hide.getAttribute('aria-pressed'), 'true');
  const value = await field.innerText();
  await hide.click();
  await expect.text(field, MASK);
  return value;
}

export const tests = [
  {
    name: 'Dev Dan creates a 180-day secret for Payroll API, copies it once, and nothing keeps it',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      await openAppAs(t, 'dan', 'Payroll', 'Payroll API');
      const note = page.getByTestId('access-note');
      await expect.text(note, 'You own this app');
      // The seeded secret ending in 20 days, with relative words and the date.
      await expect.visible(page.getByText(/Expires in 20 days \(\d{1,2} \w{3} \d{4}\)/));
      await createWith(t, '180 days');

      await expect.visible(page.getByRole('heading', { name: 'Your new secret' }));
      await expect.visible(page.getByText('You will not see this value again.'));
      const keyId = (await page.getByTestId('secret-key-id').innerText()).trim();
      const app = await sandboxApp(t, 'Payroll API');
      const recorded = app.passwordCredentials.find((c) => c.keyId === keyId);
      t.expect.ok(recorded, `the sandbox has the keyId the page shows (${keyId})`);
      const days = (Date.parse(recorded.endDateTime) - Date.parse(recorded.startDateTime)) / 86_400_000;
      expect.equal(days, 180, 'lifetime sent');
      // Client ID and tenant ID beside the value.
      const { tenantId } = await t.sandbox.state();
      await expect.visible(page.getByText(app.appId, { exact: true }));
      await expect.visible(page.getByText(tenantId, { exact: true }));

      const shown = await revealed(t);
      expect.equal(shown, recorded.secretText, 'Reveal shows the value Graph issued');

      // Reloading before copying asks first; staying keeps the value on the page.
      const asked = page.waitForEvent('dialog', { timeout: 5_000 }).then(async (d) => {
        const type = d.type();
        await d.dismiss();
        return type;
      });
      const reload = page.reload({ timeout: 3_000 }).catch(() => 'stayed');
      expect.equal(await asked, 'beforeunload', 'a reload before copying asks for confirmation');
      await reload;
      await expect.visible(page.getByRole('heading', { name: 'Your new secret' }));

      await copied(t);
      const clipboard = await page.evaluate(() => navigator.clipboard.readText());
      expect.equal(clipboard, recorded.secretText, 'the clipboard holds the recorded value');

      await finish(t);
      await expect.visible(page.getByText(keyId).first());
      await expectNoTrace(t, recorded.secretText);
      // Copied, so nothing holds the page any more: a reload asks nothing.
      let dialogs = 0;
      page.on('dialog', (d) => {
        dialogs += 1;
        d.dismiss().catch(() => {});
      });
      await page.reload();
      await expect.visible(page.getByRole('button', { name: 'Sign out' }));
      expect.equal(dialogs, 0, 'no beforeunload after Finish');
      await expectNoTrace(t, recorded.secretText);
      await t.hygiene(recorded.secretText);
    },
  },
  {
    name: 'Policy Restricted Service refuses 1 year with the policy explained (no maximum: Graph states none), then 180 days works',
    timeout: 45_000,
    async run(t) {
      const { page, expect } = t;
      // The browser logs the refused request (400) itself.
      t.allowConsoleError(/Failed to load resource: .*400/);
      await openAppAs(t, 'dan', 'Policy Restricted', 'Policy Restricted Service');
      await createWith(t, '1 year');
      const alert = page.locator('.error-panel');
      await expect.text(alert, "Your organisation's policy doesn't allow a secret for this app to last 1 year, and Microsoft Graph doesn't say how long it may last. Choose a shorter lifetime.");
      await expect.text(alert, 'CredentialInvalidLifetimeAsPerAppPolicy');
      await expect.hidden(page.getByLabel('1 year'));
      await expect.text(page.locator('#lifetime-max'), 'less than 1 year');
      const app = await sandboxApp(t, 'Policy Restricted Service');
      expect.equal(app.passwordCredentials.length, 1, 'nothing was created by the refusal');

      await page.getByLabel('180 days').check();
      const keyId = await createSecret(t);
      const { credential: created } = await credentialOf(t, 'Policy Restricted Service', keyId);
      await copied(t);
      await finish(t);
      await expectNoTrace(t, created.secretText);
      await t.hygiene(created.secretText);
    },
  },
];
