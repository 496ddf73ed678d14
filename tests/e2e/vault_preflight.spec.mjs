// Pre-flight and refusals: the missing role before anything exists, the soft-deleted name, and
// the data plane's missing CORS (with the ARM path as the way out).
import { chooseVault, createSecret, describePayroll, finishStored, preflight } from './lib/steps.mjs';
import { newCredential, sandboxVault, versions } from './lib/records.mjs';
import { expectHttpErrors, expectOneNewVersion, expectReferences, expectVersionFor } from './lib/checks.mjs';

export const tests = [
  {
    name: 'Dan choosing kv-contoso-prod is told he lacks the role before any credential exists',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      expectHttpErrors(t, 404);
      const before = await t.sandbox.state();
      await describePayroll(t);
      await chooseVault(t, 'kv-contoso-prod');
      await preflight(t, "You can't write secrets to kv-contoso-prod through Azure Resource Manager: you need Key Vault Contributor (or Contributor) on the vault.");
      await expect.text(page.locator('#create-blocked'), "Don't store it; I'll copy the value");
      const create = page.getByRole('button', { name: 'Create secret' });
      expect.equal(await create.isDisabled(), true, 'Create waits');
      await page.keyboard.press('Enter'); // submitting the form some other way does nothing either
      await page.waitForTimeout(500);
      const after = await t.sandbox.state();
      const creds = (s) => s.applications.find((a) => a.displayName === 'Payroll API').passwordCredentials.map((c) => c.keyId);
      expect.equal(JSON.stringify(creds(after)), JSON.stringify(creds(before)), 'no credential was created');
      const vaults = (s) => JSON.stringify(s.vaults);
      expect.equal(vaults(after), vaults(before), 'no vault changed');
      expect.equal(t.requests.filter((r) => r.url.includes('/addPassword')).length, 0, 'addPassword was never called');
      // Choosing not to store, explicitly, is still possible.
      await page.getByLabel("Don't store it; I'll copy the value myself").check();
      expect.equal(await create.isDisabled(), false, 'Create is offered again');
    },
  },
  {
    name: 'legacy-reporting-secret gets the soft-delete explanation, and another name stores it',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      expectHttpErrors(t, 404, 409);
      const dev = await sandboxVault(t, 'kv-contoso-dev');
      t.expect.ok(dev.deletedSecrets.some((d) => d.name === 'legacy-reporting-secret'), 'the seed has the deleted secret');
      await describePayroll(t);
      await chooseVault(t, 'kv-contoso-dev');
      await page.getByLabel('Secret name in Key Vault').fill('legacy-reporting-secret');
      // ARM can't see deleted secrets; the page says so before anything is created.
      await preflight(t, "Azure Resource Manager can't see deleted secrets");
      const keyId = await createSecret(t);
      await page.getByRole('button', { name: 'Store in Key Vault' }).click();
      const problem = page.getByTestId('store-problem');
      await expect.text(problem, 'A deleted secret named "legacy-reporting-secret" is still recoverable in kv-contoso-dev. Recover it, purge it, or choose another name.', { timeout: 15_000 });
      await expect.text(problem, 'Details: Conflict · HTTP 409');
      // The value is still on the page.
      await expect.visible(page.getByRole('button', { name: 'Reveal' }));
      await page.getByLabel('Another secret name').fill('legacy-reporting-secret-2');
      await page.getByRole('button', { name: 'Store under this name' }).click();
      await finishStored(t, 'kv-contoso-dev');
      const stored = await versions(t, 'kv-contoso-dev', 'legacy-reporting-secret-2');
      expect.equal(stored.length, 1, 'stored under the new name');
      const made = await newCredential(t, keyId);
      expectVersionFor(t, stored[0], made);
      const after = await sandboxVault(t, 'kv-contoso-dev');
      expect.ok(after.deletedSecrets.some((d) => d.name === 'legacy-reporting-secret'), 'the deleted secret is untouched');
      expect.equal(after.secrets.some((s) => s.name === 'legacy-reporting-secret'), false, 'not stored under the deleted name');
      await expectReferences(t, 'kv-contoso-dev', 'legacy-reporting-secret-2', stored[0].version, made.credential.secretText);
      // The refused PUT carried the value too (to ARM, which refused it): two writes, one stored.
      await t.hygiene(made.credential.secretText, { allowKeyVaultWrite: 2, expectKeyVaultWrites: 2 });
    },
  },
  {
    name: 'data-plane mode explains the CORS limit, then the ARM path stores the secret',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      // Chromium reports the refused cross-origin calls on the console itself.
      t.allowConsoleError(/CORS policy|Failed to load resource|net::ERR_FAILED/);
      await page.route('**/config.json', async (route) => {
        const res = await route.fetch();
        const config = await res.json();
        config.vault = { ...config.vault, mode: 'dataPlane' };
        await route.fulfill({ response: res, body: JSON.stringify(config), contentType: 'application/json' });
      });
      const before = await versions(t, 'kv-contoso-dev', 'payroll-api-client-secret');
      await describePayroll(t);
      await expect.text(page.locator('#vault-hint'), 'Key Vault data plane');
      await chooseVault(t, 'kv-contoso-dev');
      await preflight(t, "Key Vault can't be called directly from a web page. Use the ARM path, or ask your admin for the gateway setting.");
      await expect.text(page.getByTestId('preflight'), 'no response (network or CORS)');
      const kvCalls = t.requests.filter((r) => r.url.includes('/kv/kv-contoso-dev/'));
      expect.ok(kvCalls.length >= 1, 'the data plane was tried');
      expect.equal(await page.getByRole('button', { name: 'Create secret' }).isDisabled(), true, 'nothing is created yet');
      await page.getByRole('button', { name: 'Use the ARM path' }).click();
      await preflight(t, 'You can store secrets in kv-contoso-dev through Azure Resource Manager.');
      const keyId = await createSecret(t);
      await page.getByRole('button', { name: 'Store in Key Vault' }).click();
      await finishStored(t, 'kv-contoso-dev');
      await expect.text(page.getByTestId('stored'), 'stored through Azure Resource Manager');
      const made = await expectOneNewVersion(t, before, keyId);
      await t.hygiene(made.credential.secretText, { allowKeyVaultWrite: 1, expectKeyVaultWrites: 1 });
    },
  },
];
