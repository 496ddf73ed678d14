// The Key Vault step: Dev Dan stores a new Payroll API secret in kv-contoso-dev through ARM.
import { chooseVault, describePayroll, finishStored, preflight } from './lib/steps.mjs';
import { newCredential, versions } from './lib/records.mjs';
import { expectReferences, expectVersionFor } from './lib/checks.mjs';

export const tests = [
  {
    name: 'Dev Dan stores a new Payroll API secret in kv-contoso-dev through ARM',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      const before = await versions(t, 'kv-contoso-dev', 'payroll-api-client-secret');
      await describePayroll(t);
      // The list shows each vault's facts; the search narrows it.
      await expect.visible(page.getByRole('radio', { name: /^kv-contoso-prod — rg-prod · westeurope · Contoso Prod · Azure RBAC/ }), { timeout: 15_000 });
      await expect.visible(page.getByRole('radio', { name: /^kv-contoso-locked — .*Firewall: selected networks only/ }));
      await chooseVault(t, 'kv-contoso-dev');
      await expect.hidden(page.getByRole('radio', { name: /^kv-contoso-prod/ }));
      expect.equal(await page.getByLabel('Secret name in Key Vault').inputValue(), 'payroll-api-client-secret', 'name from the template');
      await preflight(t, 'You can store it here.');
      await preflight(t, 'a new version will be added');
      // Only the vault ID is remembered.
      const remembered = await page.evaluate(() => sessionStorage.getItem('secret-wizard.lastVaultId'));
      expect.includes(remembered, '/providers/Microsoft.KeyVault/vaults/kv-contoso-dev');

      await page.getByRole('button', { name: 'Create secret' }).click();
      await expect.visible(page.getByRole('heading', { name: 'Your new secret' }));
      await expect.text(page.getByTestId('store-panel'), 'Stores "payroll-api-client-secret" in kv-contoso-dev through Azure Resource Manager.');
      const keyId = (await page.getByTestId('secret-key-id').innerText()).trim();
      const made = await newCredential(t, keyId);
      await page.getByRole('button', { name: 'Store in Key Vault' }).click();

      await finishStored(t, 'kv-contoso-dev');
      const now = await versions(t, 'kv-contoso-dev', 'payroll-api-client-secret');
      expect.equal(now.length, before.length + 1, 'exactly one new version');
      const latest = now[now.length - 1];
      expectVersionFor(t, latest, made);
      await expectReferences(t, 'kv-contoso-dev', 'payroll-api-client-secret', latest.version, made.credential.secretText);
      await t.hygiene(made.credential.secretText, { allowKeyVaultWrite: 1, expectKeyVaultWrites: 1 });
      // Stored, so the value is gone: a reload asks nothing.
      let dialogs = 0;
      page.on('dialog', (d) => {
        dialogs += 1;
        d.dismiss().catch(() => {});
      });
      await page.reload();
      expect.equal(dialogs, 0, 'no leave prompt once stored');
    },
  },
];
