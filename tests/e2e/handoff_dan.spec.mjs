// Hand-off links: an admin makes one, Dev Dan opens it, signs in and lands on the prepared step.
import { copyFinishAndCheck, finishStored, preflight, signedIn, valueOnScreen } from './lib/steps.mjs';
import { newCredential, sandboxVault, versions } from './lib/records.mjs';
import { expectHttpErrors } from './lib/checks.mjs';

/** Serves config.json changed by `change` (e.g. a `vault.allowed` list). */
async function configWith(t, change) {
  await t.page.route('**/config.json', async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, json: change(await res.json()) });
  });
}

/** A link for Payroll API naming `vault` (its resource ID) and the secret name. */
function linkTo(app, vault, name) {
  return `/?handoff=v1&app=${app.appId}&days=180&vault=${encodeURIComponent(vault.id)}&name=${name}`;
}

async function payrollAppId(t) {
  const state = await t.sandbox.state();
  const app = state.applications.find((a) => a.displayName === 'Payroll API');
  t.expect.ok(app, 'the sandbox has Payroll API');
  return app;
}

/** The Describe step with a lifetime picked, and no secret created. */
async function expectPreparedDescribe(t, lifetime, app) {
  const { page, expect } = t;
  await expect.visible(page.getByLabel('Description'), { timeout: 20_000 });
  await expect.visible(page.getByRole('heading', { level: 2, name: 'A new secret for Payroll API' }));
  t.expect.ok(await page.getByLabel(lifetime).isChecked(), `${lifetime} is pre-selected`);
  const after = (await t.sandbox.state()).applications.find((a) => a.id === app.id);
  t.expect.equal(after.passwordCredentials.length, app.passwordCredentials.length, 'nothing was created by itself');
}

export const tests = [
  {
    name: 'a link naming a vault outside the config shows where it is and stores nothing there until Dan confirms it',
    timeout: 60_000,
    run: async (t) => {
      const { page, expect } = t;
      expectHttpErrors(t, 404); // the free name's check
      const app = await payrollAppId(t);
      const locked = await sandboxVault(t, 'kv-contoso-locked');
      const name = 'payroll-api-handoff';
      await t.open(linkTo(app, locked, name));
      await t.signIn('dan');
      await expectPreparedDescribe(t, '180 days', app);
      await expect.text(page.locator('.prepared-note'), `vault kv-contoso-locked (resource group rg-sec, subscription ${locked.subscriptionId})`);
      // Pre-selected, but shown with subscription (name and ID) and resource group, and held.
      const panel = page.getByTestId('link-vault');
      await expect.text(panel, 'The hand-off link names the vault kv-contoso-locked');
      await expect.text(panel, `Contoso Dev (${locked.subscriptionId})`, { timeout: 15_000 });
      await expect.text(panel, 'rg-sec');
      await expect.text(panel, 'Anyone can write a hand-off link');
      await preflight(t, 'Confirm before it is stored here.');
      await expect.text(page.getByTestId('preflight'), 'You can store secrets in kv-contoso-locked');
      const create = page.getByRole('button', { name: 'Create secret' });
      t.expect.ok(await create.isDisabled(), 'Create waits for the confirmation');
      await expect.visible(page.getByText('Confirm kv-contoso-locked, the vault the hand-off link names ("Use this vault")', { exact: false }));
      t.expect.equal(await page.evaluate(() => sessionStorage.getItem('secret-wizard.lastVaultId')), null, 'not remembered before it is confirmed');
      await create.click({ force: true }).catch(() => {});
      const untouched = await sandboxVault(t, 'kv-contoso-locked');
      t.expect.equal(JSON.stringify(untouched.secrets), JSON.stringify(locked.secrets), 'nothing was stored in the vault');
      t.expect.equal((await payrollAppId(t)).passwordCredentials.length, app.passwordCredentials.length, 'nothing was created');

      // Confirmed: remembered, green, and storing writes there.
      await page.getByRole('button', { name: 'Use this vault' }).click();
      await expect.text(panel, 'You confirmed this vault.');
      await preflight(t, 'You can store it here.');
      t.expect.includes(await page.evaluate(() => sessionStorage.getItem('secret-wizard.lastVaultId')), '/vaults/kv-contoso-locked');
      await create.click();
      await expect.visible(page.getByRole('heading', { name: 'Your new secret' }), { timeout: 20_000 });
      await expect.text(page.getByTestId('store-panel'), `Stores "${name}" in kv-contoso-locked`);
      const keyId = (await page.getByTestId('secret-key-id').innerText()).trim();
      const made = await newCredential(t, keyId);
      await page.getByRole('button', { name: 'Store in Key Vault' }).click();
      await finishStored(t, 'kv-contoso-locked');
      const stored = await versions(t, 'kv-contoso-locked', name);
      t.expect.equal(stored.length, 1, 'one version in the vault the link named');
      t.expect.equal(stored[0].value, made.credential.secretText, 'holding the new value');
      await t.hygiene(made.credential.secretText, { allowKeyVaultWrite: 1, expectKeyVaultWrites: 1 });
    },
  },
  {
    name: 'a link naming a vault that vault.allowed lists stays pre-selected',
    run: async (t) => {
      const { page, expect } = t;
      expectHttpErrors(t, 404);
      const app = await payrollAppId(t);
      const locked = await sandboxVault(t, 'kv-contoso-locked');
      const dev = await sandboxVault(t, 'kv-contoso-dev');
      await configWith(t, (c) => ({ ...c, vault: { ...c.vault, allowed: [dev.id, locked.id] } }));
      await t.open(linkTo(app, locked, 'payroll-api-handoff'));
      await t.signIn('dan');
      await expectPreparedDescribe(t, '180 days', app);
      t.expect.ok(await page.getByRole('radio', { name: /^kv-contoso-locked/ }).isChecked(), 'the link\'s vault is chosen');
      await preflight(t, 'You can store it here.');
      t.expect.equal(await page.getByTestId('link-vault').count(), 0, 'no confirmation for a vetted vault');
      t.expect.ok(await page.getByRole('button', { name: 'Create secret' }).isEnabled(), 'Create is offered');
      t.expect.includes(await page.evaluate(() => sessionStorage.getItem('secret-wizard.lastVaultId')), '/vaults/kv-contoso-locked');
    },
  },
  {
    name: 'a hand-off link opens the prepared Describe step for Dev Dan, then leaves no trace',
    run: async (t) => {
      const { page, expect } = t;
      const app = await payrollAppId(t);
      await t.open(`/?handoff=v1&app=${app.appId}&days=180&name=payroll-api-client-secret`);
      await expect.text(page.getByRole('status').filter({ hasText: 'hand-off link' }), app.appId);
      await t.signIn('dan');
      await expectPreparedDescribe(t, '180 days', app);
      const note = page.locator('.prepared-note');
      await expect.text(note, 'secret name payroll-api-client-secret');
      t.expect.ok(!page.url().includes('handoff'), `the address still has the link: ${page.url()}`);
      const stored = await page.evaluate(() => sessionStorage.getItem('secret-wizard.handoff'));
      t.expect.equal(stored, null, 'the pending hand-off is removed once used');
      // The note stays while this run lasts (the value on screen is its secret), not after.
      await page.getByRole('button', { name: 'Create secret' }).click();
      const { value } = await valueOnScreen(t, 'Payroll API');
      await expect.text(note, 'Prepared from a hand-off link');
      await copyFinishAndCheck(t, value);
      await expect.hidden(note);
    },
  },
  {
    name: 'a hand-off survives a sign-in that comes back without it in the address (redirect fallback)',
    run: async (t) => {
      const { page, expect } = t;
      const app = await payrollAppId(t);
      await t.open(`/?handoff=v1&app=${app.appId}&days=90`);
      await expect.visible(page.getByRole('status').filter({ hasText: 'hand-off link' }));
      const stored = await page.evaluate(() => sessionStorage.getItem('secret-wizard.handoff'));
      t.expect.equal(stored, `?handoff=v1&app=${app.appId}&days=90`, 'kept for a redirect sign-in');
      // What a redirect sign-in does: the app starts again at its plain address.
      await t.open('/');
      await expect.visible(page.getByRole('status').filter({ hasText: 'hand-off link' }));
      await t.signIn('dan');
      await expectPreparedDescribe(t, '90 days', app);
    },
  },
  {
    name: 'a tampered link says why and prepares nothing',
    run: async (t) => {
      const { page, expect } = t;
      const app = await payrollAppId(t);
      await t.open(`/?handoff=v1&app=${app.appId}&days=180&access_token=eyJhbGciOi`);
      await expect.text(page.getByRole('alert'), 'never carry secrets or tokens');
      await t.signIn('dan');
      await expect.visible(page.getByLabel('App name or Application (client) ID'));
      await expect.text(page.getByRole('alert'), '"access_token"');
      t.expect.equal(await page.getByLabel('Description').count(), 0, 'no Describe step');
      const stored = await page.evaluate(() => sessionStorage.getItem('secret-wizard.handoff'));
      t.expect.equal(stored, null, 'a refused link is not kept');
    },
  },
  {
    name: 'a link beyond the policy maximum is refused with the limit',
    run: async (t) => {
      const { page, expect } = t;
      const app = await payrollAppId(t);
      await t.open(`/?handoff=v1&app=${app.appId}&days=9999`);
      await expect.text(page.getByRole('alert'), 'from 1 to 730');
    },
  },
  {
    name: 'Ada makes a link in the form; Dan opens it and lands prepared',
    timeout: 60_000,
    run: async (t) => {
      const { page, expect } = t;
      const app = await payrollAppId(t);
      await signedIn(t, 'ada');
      await page.getByRole('button', { name: 'Hand-off link' }).click();
      await page.getByLabel('App (client ID)').fill('not a guid');
      await page.getByRole('button', { name: 'Create link' }).click();
      await expect.text(page.locator('#ho-problem'), 'is not a client ID');
      await page.getByLabel('App (client ID)').fill(app.appId);
      await page.getByLabel('Lifetime').selectOption({ label: '90 days' });
      await page.getByLabel('Secret name in Key Vault (optional)').fill('payroll-api-client-secret');
      await page.getByRole('button', { name: 'Create link' }).click();
      const link = await expect.text(page.locator('#ho-link'), 'handoff=v1');
      t.expect.includes(link, `app=${app.appId}`);
      t.expect.includes(link, 'days=90');
      await page.getByRole('button', { name: 'Copy link' }).click();
      await expect.text(page.getByRole('status').filter({ hasText: 'Copied' }), 'Copied');
      t.expect.equal(await page.evaluate(() => navigator.clipboard.readText()), link.trim(), 'clipboard');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect.visible(page.getByRole('button', { name: 'Sign in', exact: true }));
      await page.goto(link.trim());
      await t.signIn('dan');
      await expectPreparedDescribe(t, '90 days', app);
    },
  },
];
