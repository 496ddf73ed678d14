// Storing over another app's vault secret: the seed's kv-contoso-dev holds
// "onboarding-portal-client-secret" tagged for Onboarding Portal (ClientId, AppObjectId,
// CredentialId: sandbox/src/arm/vaults/seed.rs). Dan, giving Payroll API a secret under that name, is
// told whose secret it is and nothing is created or stored until he says "Replace it".
import { chooseVault, createSecret, describePayroll, finishStored, preflight, shownKeyId } from './lib/steps.mjs';
import { newCredential, sandboxApp, versions } from './lib/records.mjs';
import { expectHttpErrors, expectVersionFor } from './lib/checks.mjs';

const HELD = 'onboarding-portal-client-secret';

/** The warning for HELD in kv-contoso-dev, with Onboarding Portal's client ID from the sandbox. */
async function warning(t) {
  const onboarding = await sandboxApp(t, 'Onboarding Portal');
  return `kv-contoso-dev already holds "${HELD}" for the app with client ID ${onboarding.appId} (Onboarding Portal?) — storing here replaces what that app reads.`;
}

async function heldVersions(t) {
  const v = await versions(t, 'kv-contoso-dev', HELD);
  t.expect.ok(v.length > 0, `the seed has ${HELD}`);
  t.expect.equal(v[v.length - 1].tags.AppDisplayName, 'Onboarding Portal', 'tagged for Onboarding Portal');
  return v;
}

export const tests = [
  {
    name: "Dan storing under another app's vault secret is warned and nothing happens until he says Replace it",
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      expectHttpErrors(t, 404);
      const before = await heldVersions(t);
      const payrollBefore = (await sandboxApp(t, 'Payroll API')).passwordCredentials.length;
      await describePayroll(t);
      await chooseVault(t, 'kv-contoso-dev');
      await page.getByLabel('Secret name in Key Vault').fill(HELD);
      await preflight(t, 'Confirm before it is stored here.');
      await expect.text(page.getByTestId('preflight'), await warning(t));
      await expect.text(page.locator('#create-blocked'), 'may be replaced ("Replace it")');
      const create = page.getByRole('button', { name: 'Create secret' });
      t.expect.ok(await create.isDisabled(), 'Create waits for the answer');
      await page.keyboard.press('Enter');
      await page.waitForTimeout(500);
      t.expect.equal((await sandboxApp(t, 'Payroll API')).passwordCredentials.length, payrollBefore, 'no credential was created');
      t.expect.equal((await versions(t, 'kv-contoso-dev', HELD)).length, before.length, 'nothing was stored');

      await page.getByRole('button', { name: 'Replace it' }).click();
      await preflight(t, 'You can store it here.');
      await expect.text(page.getByTestId('preflight'), 'you chose to replace it');
      await create.click();
      const keyId = await shownKeyId(t, { timeout: 20_000 });
      const made = await newCredential(t, keyId);
      await page.getByRole('button', { name: 'Store in Key Vault' }).click();
      await finishStored(t, 'kv-contoso-dev');
      const after = await versions(t, 'kv-contoso-dev', HELD);
      t.expect.equal(after.length, before.length + 1, 'exactly one new version');
      expectVersionFor(t, after[after.length - 1], made);
      await t.hygiene(made.credential.secretText, { allowKeyVaultWrite: 1, expectKeyVaultWrites: 1 });
    },
  },
  {
    name: "at Show once, a new name that holds another app's secret holds Store until Replace it",
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      expectHttpErrors(t, 404, 409);
      const before = await heldVersions(t);
      await describePayroll(t);
      await chooseVault(t, 'kv-contoso-dev');
      // A deleted secret holds this name: ARM refuses the store, and Show once asks for another.
      await page.getByLabel('Secret name in Key Vault').fill('legacy-reporting-secret');
      await preflight(t, "Azure Resource Manager can't see deleted secrets");
      const keyId = await createSecret(t, { timeout: 20_000 });
      await page.getByRole('button', { name: 'Store in Key Vault' }).click();
      const problem = page.getByTestId('store-problem');
      await expect.text(problem, 'A deleted secret named "legacy-reporting-secret" is still recoverable', { timeout: 15_000 });
      await page.getByLabel('Another secret name').fill(HELD);
      await expect.text(problem, await warning(t), { timeout: 15_000 });
      await expect.text(page.getByTestId('store-panel'), `Stores "${HELD}" in kv-contoso-dev`);
      t.expect.equal(await page.getByRole('button', { name: 'Store under this name' }).count(), 0, 'Store is held');
      t.expect.equal((await versions(t, 'kv-contoso-dev', HELD)).length, before.length, 'nothing was stored');
      await page.getByRole('button', { name: 'Replace it' }).click();
      await page.getByRole('button', { name: 'Store under this name' }).click();
      await finishStored(t, 'kv-contoso-dev');
      const after = await versions(t, 'kv-contoso-dev', HELD);
      t.expect.equal(after.length, before.length + 1, 'one new version');
      expectVersionFor(t, after[after.length - 1], await newCredential(t, keyId));
      // The refused PUT (409) carried the value to ARM too: two writes, one stored.
      const made = await newCredential(t, keyId);
      await t.hygiene(made.credential.secretText, { allowKeyVaultWrite: 2, expectKeyVaultWrites: 2 });
    },
  },
];
