// An injected 429 on the ARM write: the page says it is retrying, waits for Retry-After, and
// exactly one version is stored.
import { createSecret, finishStored, readyToStore } from './lib/steps.mjs';
import { versions } from './lib/records.mjs';
import { expectHttpErrors, expectOneNewVersion } from './lib/checks.mjs';

export const tests = [
  {
    name: 'a 429 with Retry-After 1 followed by success stores exactly one version',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      expectHttpErrors(t, 429);
      const before = await versions(t, 'kv-contoso-dev', 'payroll-api-client-secret');
      await readyToStore(t);
      const keyId = await createSecret(t);
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
      const made = await expectOneNewVersion(t, before, keyId);
      await t.hygiene(made.credential.secretText, { allowKeyVaultWrite: 2, expectKeyVaultWrites: 2 });
    },
  },
];
