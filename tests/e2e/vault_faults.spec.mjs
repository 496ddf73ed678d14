// An injected 429 on the ARM write: the page says it is retrying, waits for Retry-After, and
// exactly one version is stored.
import { chooseVault, expectHttpErrors, finishStored, describePayroll, expectVersionFor, newCredential, preflight, versions } from './vault_store.spec.mjs';

export const tests = [
  {
    name: 'a 429 with Retry-After 1 followed by success stores exactly one version',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      expectHttpErrors(t, 429);
      const before = await versions(t, 'kv-contoso-dev', 'payroll-api-client-secret');
      await describePayroll(t);
      await chooseVault(t, 'kv-contoso-dev');
      await preflight(t, 'You can store it here.');
      await page.getByRole('button', { name: 'Create secret' }).click();
      await expect.visible(page.getByRole('heading', { name: 'Your new secret' }));
      const keyId = (await page.getByTestId('secret-key-id').innerText()).trim();
      await t.sandbox.fault({
        method: 'PUT', path: '/arm/**/vaults/kv-contoso-dev/secrets/*', count: 1, status: 429,
        headers: { 'Retry-After': '1' },
        body: { error: { code: 'TooManyRequests', message: 'Retry later.' } },
      });
      await page.getByRole('button', { name: 'Store in Key Vault' }).click();
      await expect.text(page.getByRole('status').filter({ hasText: 'retrying' }), 'Azure Resource Manager is busy; retrying in 1 s…');
      await finishStored(t, 'kv-contoso-dev');
      const puts = t.requests.filter((r) => r.method === 'PUT' && r.url.includes('/vaults/kv-contoso-dev/secrets/'));
      expect.equal(puts.length, 2, 'the refused send and one retry');
      const now = await versions(t, 'kv-contoso-dev', 'payroll-api-client-secret');
      expect.equal(now.length, before.length + 1, 'exactly one new version');
      const made = await newCredential(t, keyId);
      expectVersionFor(t, now[now.length - 1], made);
      await t.hygiene(made.credential.secretText, { allowKeyVaultWrite: 2, expectKeyVaultWrites: 2 });
    },
  },
];
