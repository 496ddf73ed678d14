// Rotation with overlap and the vault cross-check, as Dev Dan, against the sandbox's demo tenant:
// create a new Payroll API secret from the guide, store it as a new version of
// payroll-api-client-secret in kv-contoso-dev, confirm the consumers, and only then remove the
// old secret. The sandbox's state is checked at each step.
import { finishStored, openAppAs, preflight } from './lib/steps.mjs';
import { sandboxApp } from './lib/records.mjs';

const DEV_VAULT = 'kv-contoso-dev';
const VAULT_SECRET = 'payroll-api-client-secret';

/** The latest version of a vault secret in the sandbox's state. */
async function latestVersion(t, vaultName, secretName) {
  const state = await t.sandbox.state();
  const vault = state.vaults.vaults.find((v) => v.name === vaultName);
  t.expect.ok(vault, `the sandbox has ${vaultName}`);
  const secret = vault.secrets.find((s) => s.name.toLowerCase() === secretName.toLowerCase());
  t.expect.ok(secret, `${vaultName} has ${secretName}`);
  return { count: secret.versions.length, latest: secret.versions[secret.versions.length - 1] };
}

const keyIds = (app) => app.passwordCredentials.map((c) => c.keyId);

/** From an app's Review step to its rotation page, with the vault check finished. */
async function openRotation(t, name) {
  const { page, expect } = t;
  await page.getByRole('button', { name: 'Rotate…' }).click();
  await expect.visible(page.getByRole('heading', { level: 1, name: `Rotate a secret: ${name}` }));
  await expect.text(page.getByTestId('scan-progress'), /Checked 3 of 3 vaults you can see\./, { timeout: 20_000 });
}

const step = (t, n) => t.page.locator(`li[data-step="${n}"]`);
const row = (t, keyId) => t.page.locator(`tr[data-key-id="${keyId}"]`);

export const tests = [
  {
    name: 'Dan rotates Payroll API: new secret stored as a new version, old one removed only after confirming',
    timeout: 90_000,
    run: async (t) => {
      const { page, expect } = t;
      const before = await sandboxApp(t, 'Payroll API');
      const old = before.passwordCredentials.find((c) => c.displayName === 'payroll-2024');
      const stored = before.passwordCredentials.find((c) => c.displayName === 'payroll-2025');
      const v0 = await latestVersion(t, DEV_VAULT, VAULT_SECRET);
      t.expect.equal(v0.latest.tags.CredentialId, stored.keyId, 'seed: the vault secret holds payroll-2025');

      await openAppAs(t, 'dan', 'Payroll API');
      await openRotation(t, 'Payroll API');
      // The cross-check before: payroll-2025 is in the vault, payroll-2024 is not.
      t.expect.equal(await row(t, stored.keyId).getAttribute('data-copy'), 'found');
      await expect.text(row(t, stored.keyId), `${DEV_VAULT} / ${VAULT_SECRET}`);
      t.expect.equal(await row(t, old.keyId).getAttribute('data-copy'), 'none');
      await expect.text(row(t, old.keyId), 'No vault copy');
      // The guide replaces the secret that expires first; removal waits for step 3.
      await expect.text(page.getByTestId('replacing'), `“payroll-2024” (keyId ${old.keyId})`);
      t.expect.equal(await step(t, 1).getAttribute('data-state'), 'current');
      await expect.text(step(t, 1), `with ${DEV_VAULT} and the vault secret ${VAULT_SECRET} pre-selected`);
      t.expect.ok(await page.getByRole('button', { name: 'Remove the old secret…' }).isDisabled(), 'removal is off');

      // Step 1: the wizard opens on Describe with the same vault secret chosen.
      await page.getByRole('button', { name: 'Create the new secret' }).click();
      await expect.visible(page.getByRole('heading', { level: 2, name: 'A new secret for Payroll API' }), { timeout: 20_000 });
      t.expect.equal(await page.getByLabel('Secret name in Key Vault').inputValue(), VAULT_SECRET, 'the same vault secret');
      await expect.text(page.getByTestId('vault-section'), DEV_VAULT);
      await page.getByLabel('180 days').check();
      await preflight(t, 'You can store it here.');
      await page.getByRole('button', { name: 'Create secret' }).click();
      // Step 2: store it (a new version of the same vault secret).
      await expect.visible(page.getByRole('heading', { level: 2, name: 'Your new secret' }), { timeout: 20_000 });
      await page.getByRole('button', { name: 'Store in Key Vault' }).click();
      await finishStored(t, DEV_VAULT);

      const mid = await sandboxApp(t, 'Payroll API');
      const added = mid.passwordCredentials.filter((c) => !keyIds(before).includes(c.keyId));
      t.expect.equal(added.length, 1, 'one new secret');
      const fresh = added[0];
      t.expect.ok(keyIds(mid).includes(old.keyId), 'the old secret is still there');
      const v1 = await latestVersion(t, DEV_VAULT, VAULT_SECRET);
      t.expect.equal(v1.count, v0.count + 1, 'a new version of the same vault secret');
      t.expect.equal(v1.latest.tags.CredentialId, fresh.keyId, 'the new version is tagged with the new keyId');
      t.expect.equal(v1.latest.tags.ProviderAddress, before.id);

      // Back on the guide: steps 1 and 2 done; still nothing removed.
      await page.getByRole('button', { name: 'Back to Payroll API' }).click();
      await openRotation(t, 'Payroll API');
      await expect.text(step(t, 1), `keyId ${fresh.keyId}`);
      t.expect.equal(await step(t, 1).getAttribute('data-state'), 'done');
      t.expect.equal(await step(t, 2).getAttribute('data-state'), 'done');
      await expect.text(step(t, 2), `${DEV_VAULT} / ${VAULT_SECRET}`);
      t.expect.equal(await step(t, 3).getAttribute('data-state'), 'current');
      t.expect.ok(await page.getByRole('button', { name: 'Remove the old secret…' }).isDisabled(), 'still off');
      await expect.text(page.locator('#remove-reason'), 'step 3');
      t.expect.ok(keyIds(await sandboxApp(t, 'Payroll API')).includes(old.keyId), 'not removed before confirming');
      // The cross-check marks the stored credential.
      t.expect.equal(await row(t, fresh.keyId).getAttribute('data-copy'), 'found');
      await expect.text(row(t, fresh.keyId), `${DEV_VAULT} / ${VAULT_SECRET}`);
      await expect.text(row(t, fresh.keyId), 'vault expiry matches');

      // Step 3, then step 4 behind a ticked confirmation that names the secret.
      await page.getByLabel("I've updated every consumer of the old secret").check();
      t.expect.equal(await step(t, 3).getAttribute('data-state'), 'done');
      await page.getByRole('button', { name: 'Remove the old secret…' }).click();
      const dialog = page.getByRole('alertdialog');
      await expect.text(dialog, `“payroll-2024” (keyId ${old.keyId})`);
      const remove = dialog.getByRole('button', { name: 'Remove secret' });
      t.expect.ok(await remove.isDisabled(), 'not before the tick');
      t.expect.ok(keyIds(await sandboxApp(t, 'Payroll API')).includes(old.keyId), 'the dialog removed nothing');
      await dialog.getByRole('checkbox').check();
      await remove.click();
      await expect.text(page.getByTestId('removal-result'), 'it no longer lists it', { timeout: 20_000 });

      const after = await sandboxApp(t, 'Payroll API');
      t.expect.ok(!keyIds(after).includes(old.keyId), 'the old keyId is gone');
      t.expect.ok(keyIds(after).includes(fresh.keyId) && keyIds(after).includes(stored.keyId), 'the others stay');
      t.expect.equal(await step(t, 4).getAttribute('data-state'), 'done');
      await expect.text(page.locator('.rotation-guide'), 'Rotation complete');
      t.expect.equal(await row(t, old.keyId).count(), 0, 'the removed secret left the table');
      // The value went to the vault once and nowhere else (the guide's sessionStorage included).
      await t.hygiene(fresh.secretText, { allowKeyVaultWrite: 1, expectKeyVaultWrites: 1 });
    },
  },
  {
    name: 'the cross-check shows the seeded orphan vault secret and a vault Dan may not list',
    timeout: 60_000,
    run: async (t) => {
      const { page, expect } = t;
      // kv-contoso-prod refuses to list its secrets this once (the browser logs the 403 itself).
      t.allowConsoleError(/status of 403 \(Forbidden\)/);
      await t.sandbox.fault({
        method: 'GET',
        path: '/arm/subscriptions/*/resourceGroups/*/providers/Microsoft.KeyVault/vaults/kv-contoso-prod/secrets',
        status: 403,
        body: { error: { code: 'AuthorizationFailed', message: "The client 'dan@contoso.example' does not have authorization to perform action 'Microsoft.KeyVault/vaults/secrets/read' over scope '/subscriptions/x/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-contoso-prod'." } },
      });
      await openAppAs(t, 'dan', 'Onboarding Portal');
      await openRotation(t, 'Onboarding Portal');
      const orphan = page.locator('tr[data-finding="gone"][data-secret="onboarding-portal-client-secret"]');
      await expect.text(orphan, 'Points at a credential that no longer exists');
      await expect.text(orphan, DEV_VAULT);
      await expect.text(page.locator('li[data-vault="kv-contoso-prod"]'), "you can't list secrets in kv-contoso-prod");
      // The app's own secret has no copy anywhere.
      const app = await sandboxApp(t, 'Onboarding Portal');
      t.expect.equal(await row(t, app.passwordCredentials[0].keyId).getAttribute('data-copy'), 'none');
    },
  },
];
