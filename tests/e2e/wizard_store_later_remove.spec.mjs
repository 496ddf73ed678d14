// Issue 15 §3: Dev Dan stores from Show once after choosing not to store (the vault holds the value
// shown), with 180 days preselected on Describe; and removes a secret that still works from
// Review, warned when it is the app's last working one (and not when another one works).
import { chooseVault, expectReady, newSecret, openAppAs, storedAs, valueOnScreen } from './lib/steps.mjs';
import { keyIds, newCredential, sandboxApp, sent, versions } from './lib/records.mjs';
import { expectHttpErrors, expectVersionFor } from './lib/checks.mjs';

const VAULT = 'kv-contoso-dev';
const NAME = 'payroll-api-client-secret';

/** Review: "Remove" on the secret described `name`; returns the confirmation dialog. */
async function askToRemove(t, name) {
  const { page, expect } = t;
  await page.getByRole('button', { name: `Remove secret ${name}`, exact: true }).click();
  const dialog = page.getByRole('alertdialog');
  await expect.visible(dialog);
  await expect.text(dialog, `Remove the client secret \u201c${name}\u201d`);
  return dialog;
}

/** The removePassword calls the page sent for the app with object ID `id`. */
function removals(t, id) {
  return sent(t, 'POST', (p) => p.endsWith(`/applications/${id}/removePassword`));
}

export const tests = [
  {
    name: 'Dev Dan chooses not to store, then stores from Show once; 180 days was preselected',
    timeout: 90_000,
    async run(t) {
      const { page, expect } = t;
      const before = await versions(t, VAULT, NAME);
      await openAppAs(t, 'dan', 'Payroll', 'Payroll API');
      await newSecret(t);
      // Short lifetimes: 180 days is preselected (config.sandbox.json names no default).
      expect.ok(await page.getByLabel('180 days').isChecked(), '180 days is preselected');
      expect.ok(!(await page.getByLabel('2 years').isChecked()), 'not 2 years');
      await expect.visible(page.getByRole('group', { name: 'Store in Key Vault' }));
      const dontStore = page.getByRole('radio', { name: "Don't store it; I'll copy the value myself" });
      await expect.visible(dontStore);
      expect.ok(await dontStore.isChecked(), "Describe says don't store it");

      await page.getByRole('button', { name: 'Create secret' }).click();
      const { keyId, value } = await valueOnScreen(t, 'Payroll API');
      const made = await newCredential(t, keyId);
      // Show once still offers the vault while the value is on screen.
      const offer = page.getByTestId('vault-offer');
      await expect.text(offer, 'You chose not to store it in Key Vault.');
      await offer.getByRole('button', { name: 'Store in Key Vault' }).click();
      await expect.hidden(offer);
      const panel = page.getByTestId('store-panel');
      await expect.visible(panel.getByRole('group', { name: 'Store in Key Vault' }));
      await chooseVault(t, VAULT);
      expect.equal(await page.getByLabel('Secret name in Key Vault').inputValue(), NAME, 'name from the template');
      // Zero-reveal is Describe's choice: the value is already on screen.
      expect.equal(await page.getByLabel('Store in Key Vault without showing it').count(), 0, 'no zero-reveal here');
      await expectReady(t);
      await expect.text(panel, `Stores "${NAME}" in ${VAULT} through Azure Resource Manager.`);
      expect.equal((await versions(t, VAULT, NAME)).length, before.length, 'nothing stored before Store');
      await panel.getByRole('button', { name: 'Store in Key Vault' }).click();

      await storedAs(t, VAULT, NAME);
      const now = await versions(t, VAULT, NAME);
      expect.equal(now.length, before.length + 1, 'exactly one new version');
      const latest = now[now.length - 1];
      expect.equal(latest.value, value, 'the vault holds the value shown');
      expectVersionFor(t, latest, made);
      await t.hygiene(value, { allowKeyVaultWrite: 1, expectKeyVaultWrites: 1 });
    },
  },
  {
    name: "Dev Dan removes Onboarding Portal's last working secret from Review, warned first",
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      await openAppAs(t, 'dan', 'Onboarding', 'Onboarding Portal');
      const app = await sandboxApp(t, 'Onboarding Portal');
      const [portal] = app.passwordCredentials;
      const dialog = await askToRemove(t, 'portal');
      await expect.text(dialog, `(Secret ID ${portal.keyId})`);
      await expect.text(
        dialog,
        'This is the last working secret of Onboarding Portal: the app will stop signing in with a client secret until a new secret is created',
      );
      // The last one needs the tick as well.
      const confirm = dialog.getByRole('button', { name: 'Remove secret' });
      expect.ok(await confirm.isDisabled(), 'disabled until ticked');
      // "Keep it" changes nothing.
      await dialog.getByRole('button', { name: 'Keep it' }).click();
      await expect.hidden(dialog);
      expect.equal(removals(t, app.id).length, 0, 'nothing sent');
      expect.equal((await keyIds(t, 'Onboarding Portal')).length, 1);

      const again = await askToRemove(t, 'portal');
      await again.getByRole('checkbox').check();
      await again.getByRole('button', { name: 'Remove secret' }).click();
      await expect.text(page.getByTestId('removal'), `Removed \u201cportal\u201d (Secret ID ${portal.keyId}) from Onboarding Portal`);
      expect.equal(removals(t, app.id).length, 1, 'one removePassword');
      expect.equal((await keyIds(t, 'Onboarding Portal')).length, 0, 'the sandbox no longer has it');
      await expect.visible(page.getByText('This app has no client secrets.'));
    },
  },
  {
    name: 'Dev Dan removes one of Payroll API’s two working secrets without the last-working warning',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      await openAppAs(t, 'dan', 'Payroll', 'Payroll API');
      const app = await sandboxApp(t, 'Payroll API');
      const old = app.passwordCredentials.find((c) => c.displayName === 'payroll-2024');
      const kept = app.passwordCredentials.find((c) => c.displayName === 'payroll-2025');
      const dialog = await askToRemove(t, 'payroll-2024');
      expect.ok(!(await dialog.innerText()).includes('last working secret'), 'no warning: payroll-2025 still works');
      expect.equal(await dialog.getByRole('checkbox').count(), 0, 'no tick needed');
      await dialog.getByRole('button', { name: 'Remove secret' }).click();
      await expect.text(page.getByTestId('removal'), `Removed \u201cpayroll-2024\u201d (Secret ID ${old.keyId})`);
      const left = await keyIds(t, 'Payroll API');
      expect.ok(!left.includes(old.keyId), 'removed in the sandbox');
      expect.ok(left.includes(kept.keyId), 'the other secret stays');
      await expect.hidden(page.locator(`tr[data-key-id="${old.keyId}"]`));
      await expect.visible(page.locator(`tr[data-key-id="${kept.keyId}"]`));
    },
  },
  {
    name: "Graph's refusal to remove a secret is explained with who can (Inventory Service has no owners)",
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      expectHttpErrors(t, 403);
      await openAppAs(t, 'dan', 'Inventory', 'Inventory Service');
      const dialog = await askToRemove(t, 'inventory');
      await dialog.getByRole('checkbox').check();
      await dialog.getByRole('button', { name: 'Remove secret' }).click();
      const panel = page.getByRole('alert').filter({ hasText: "The secret wasn't removed" });
      await expect.text(panel, "Microsoft Graph refused: you can't remove secrets from this app.");
      await expect.text(panel, 'It has no owners, so ask an Application Administrator or Cloud Application Administrator');
      await expect.text(panel, 'Nothing was removed.');
      expect.equal((await keyIds(t, 'Inventory Service')).length, 1, 'still there');
    },
  },
];
