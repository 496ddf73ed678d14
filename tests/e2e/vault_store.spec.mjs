// The Key Vault step: Dev Dan stores a new Payroll API secret in kv-contoso-dev through ARM.
// Also exports the helpers the other vault_*.spec.mjs files use.
import { openApp, sandboxApp } from './wizard_create.spec.mjs';

/**
 * The browser logs every 4xx/5xx answer on the console itself ("Failed to load resource"); for
 * the statuses a test provokes on purpose (a free name's 404, a refusal), that line is expected.
 */
export function expectHttpErrors(t, ...statuses) {
  t.allowConsoleError(new RegExp(`^Failed to load resource: the server responded with a status of (${statuses.join('|')}) `));
}

/** The sandbox's record of a vault (`/_sandbox/state`), by name. */
export async function sandboxVault(t, name) {
  const state = await t.sandbox.state();
  const vaults = state.vaults?.vaults ?? state.vaults;
  const vault = vaults.find((v) => v.name === name);
  t.expect.ok(vault, `the sandbox has no vault named ${JSON.stringify(name)}`);
  return vault;
}

/** The versions of a secret in a vault (none: []). */
export async function versions(t, vault, secret) {
  const v = await sandboxVault(t, vault);
  return v.secrets.find((s) => s.name === secret)?.versions ?? [];
}

/** Dan, on Payroll API's Describe step, with a 180-day lifetime chosen. */
export async function describePayroll(t, who = 'dan') {
  const { page, expect } = t;
  await t.open('/');
  await t.signIn(who);
  await openApp(t, 'Payroll', 'Payroll API');
  await page.getByRole('button', { name: 'Create a new secret' }).click();
  await expect.visible(page.getByLabel('Description'));
  await page.getByLabel('180 days').check();
  await expect.visible(page.getByRole('group', { name: 'Store in Key Vault' }));
}

/** Picks a vault in the Describe step's list (searching for it first). */
export async function chooseVault(t, name) {
  const { page, expect } = t;
  await page.getByLabel('Search vaults').fill(name);
  const option = page.getByRole('radio', { name: new RegExp(`^${name} —`) });
  await expect.visible(option, { timeout: 15_000 });
  await option.check();
  await expect.visible(page.getByLabel('Secret name in Key Vault'));
}

/** After a store: Show once says where it went, and Finish leads to Done (no question asked). */
export async function finishStored(t, vault) {
  const { page, expect } = t;
  await expect.text(page.getByTestId('store-panel'), `Stored in ${vault}`, { timeout: 15_000 });
  await page.getByRole('button', { name: 'Finish' }).click();
  await expect.visible(page.getByRole('heading', { name: 'Secret created' }));
  t.expect.equal(await page.getByRole('alertdialog').count(), 0, 'stored, so leaving asks nothing');
}

/** The pre-flight result box on Describe, once it says something other than "checking". */
export async function preflight(t, text) {
  return t.expect.text(t.page.getByTestId('preflight'), text, { timeout: 15_000 });
}

/** The new credential's sandbox record, by the keyId the page shows. */
export async function newCredential(t, keyId) {
  const app = await sandboxApp(t, 'Payroll API');
  const c = app.passwordCredentials.find((x) => x.keyId === keyId);
  t.expect.ok(c, `Payroll API has the credential ${keyId}`);
  return { app, credential: c };
}

/** Checks a stored version against the credential it holds. */
export function expectVersionFor(t, version, { app, credential }, upn = 'dan@contoso.example') {
  const { expect } = t;
  expect.equal(version.value, credential.secretText, 'the vault holds the value Graph issued');
  expect.equal(version.contentType, 'client-secret', 'content type');
  expect.equal(version.attributes.exp, Math.floor(Date.parse(credential.endDateTime) / 1000), 'exp = the credential end');
  expect.equal(version.attributes.nbf, Math.floor(Date.parse(credential.startDateTime) / 1000), 'nbf = the credential start');
  expect.equal(version.attributes.enabled, true, 'enabled');
  const tags = version.tags;
  expect.equal(tags.ClientId, app.appId, 'ClientId tag');
  expect.equal(tags.AppObjectId, app.id, 'AppObjectId tag');
  expect.equal(tags.AppDisplayName, 'Payroll API', 'AppDisplayName tag');
  expect.equal(tags.CredentialId, credential.keyId, 'CredentialId tag = keyId');
  expect.equal(tags.ProviderAddress, app.id, 'ProviderAddress tag');
  expect.equal(tags.ValidityPeriodDays, '180', 'ValidityPeriodDays tag');
  expect.equal(tags.CreatedBy, upn, 'CreatedBy tag');
  expect.ok(Object.keys(tags).length <= 15, 'at most 15 tags');
}

/** On Done: the references name this version, and the page never shows the value. */
export async function expectReferences(t, vault, secret, version, value) {
  const { page, expect } = t;
  await expect.visible(page.getByRole('heading', { name: 'Stored in Key Vault' }));
  const uri = await expect.text(page.getByTestId('stored-uri'), `/secrets/${secret}/${version}`);
  expect.includes(uri, `/kv/${vault}/`, 'the vault URI from ARM');
  await expect.text(page.getByTestId('stored-reference'), `@Microsoft.KeyVault(SecretUri=${uri.trim()})`);
  await expect.text(page.getByTestId('stored-az'), `az keyvault secret show --id '${uri.trim()}' --query value -o tsv`);
  await expect.visible(page.getByText("run this where you're signed in", { exact: false }));
  const app = await sandboxApp(t, 'Payroll API');
  const { tenantId } = await t.sandbox.state();
  await expect.text(page.getByTestId('stored-env'), `AZURE_CLIENT_ID=${app.appId}\nAZURE_TENANT_ID=${tenantId}`);
  await page.getByRole('button', { name: 'Copy the Key Vault reference' }).click();
  await expect.text(page.getByRole('status').filter({ hasText: 'Copied' }), 'Copied');
  expect.equal(await page.evaluate(() => navigator.clipboard.readText()), `@Microsoft.KeyVault(SecretUri=${uri.trim()})`);
  const html = await page.evaluate(() => document.documentElement.outerHTML);
  expect.ok(!html.includes(value), 'the value is not on the Done page');
}

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
