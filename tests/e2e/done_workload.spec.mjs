// Done finishes the job: the workload's identity gets read access to the stored secret (Key Vault
// Secrets User on the secret, through ARM), the missing-permission case is explained before and
// after trying, and the code that reads the secret copies with the vault URI and name filled in.
import { copyFinishAndCheck, createAndStore, newSecret, openAppAs, readyToCreateIn, storedAs, valueOnScreen } from './lib/steps.mjs';
import { sandboxVault, sent } from './lib/records.mjs';
import { expectHttpErrors } from './lib/checks.mjs';

const SECRET = 'payroll-api-client-secret';
const SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';
const WHO_CAN = 'Owner, User Access Administrator or Role Based Access Control Administrator';

/** `who` creates a Payroll API secret, stores it in kv-contoso-dev and finishes on Done; returns the value. */
async function storedOnDone(t, who) {
  const { before } = await readyToCreateIn(t, 'kv-contoso-dev', who);
  const { value } = await createAndStore(t, before);
  await storedAs(t, 'kv-contoso-dev', SECRET);
  await t.expect.visible(t.page.getByRole('heading', { name: 'What your service needs' }));
  return value;
}

/** Finds identities by `query` and picks the one labelled `label`; returns its object ID. */
async function pickIdentity(t, query, label) {
  const { page, expect } = t;
  await page.getByLabel("Your service's identity: name or client ID").fill(query);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  const radio = page.getByRole('radio', { name: label });
  await expect.visible(radio, { timeout: 15_000 });
  await radio.check();
  return (await radio.getAttribute('id')).replace(/^workload-/, '');
}

/** The role assignments on kv-contoso-dev (or below it) held by `principal`. */
async function assignmentsOf(t, principal) {
  const vault = await sandboxVault(t, 'kv-contoso-dev');
  return vault.roleAssignments.filter((a) => a.principalId === principal);
}

export const tests = [
  {
    name: 'Ada grants a managed identity Key Vault Secrets User on the stored secret, and copies the code that reads it',
    timeout: 90_000,
    async run(t) {
      const { page, expect } = t;
      const value = await storedOnDone(t, 'ada');
      await expect.text(page.getByTestId('workload-preflight'), 'You can grant it here.', { timeout: 15_000 });

      const mi = await pickIdentity(t, 'id-payroll', 'id-payroll-api-prod (managed identity)');
      expect.equal((await assignmentsOf(t, mi)).length, 0, 'no assignment before Grant');
      await page.getByRole('button', { name: 'Grant Key Vault Secrets User to id-payroll-api-prod' }).click();
      await expect.text(page.getByTestId('workload-granted'), `id-payroll-api-prod (managed identity) can now read "${SECRET}"`, { timeout: 15_000 });

      // The sandbox holds it: that identity, that role, on this secret only.
      const made = await assignmentsOf(t, mi);
      expect.equal(made.length, 1, 'exactly one role assignment');
      expect.equal(made[0].roleDefinitionId, SECRETS_USER, 'Key Vault Secrets User');
      expect.equal(made[0].roleName, 'Key Vault Secrets User', 'its name');
      const vault = await sandboxVault(t, 'kv-contoso-dev');
      expect.equal(made[0].scope, `${vault.id}/secrets/${SECRET}`, 'scoped to the secret');

      // The snippets: Python's reads this vault's secret by name with DefaultAzureCredential.
      const uri = (await page.getByTestId('stored-uri').innerText()).trim();
      const vaultUri = `${uri.slice(0, uri.indexOf('/secrets/'))}/`;
      await page.getByRole('tab', { name: 'Python' }).click();
      const code = page.getByTestId('snippet-code');
      await expect.text(code, 'from azure.identity import DefaultAzureCredential');
      await page.getByRole('button', { name: 'Copy the Python code' }).click();
      await expect.text(page.getByRole('status').filter({ hasText: 'Copied' }).first(), 'Copied');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect.includes(copied, `SecretClient(vault_url="${vaultUri}", credential=DefaultAzureCredential())`);
      expect.includes(copied, `client.get_secret("${SECRET}")`);
      expect.ok(!copied.includes(value), 'the snippet never carries the value');
      // Every language names the vault and the secret.
      for (const [tab, line] of [['.NET', `new SecretClient(new Uri("${vaultUri}")`], ['JavaScript', `new SecretClient("${vaultUri}"`], ['Java', `.vaultUrl("${vaultUri}")`]]) {
        await page.getByRole('tab', { name: tab, exact: true }).click();
        await expect.text(code, line);
        await expect.text(code, `"${SECRET}"`);
      }
      await expect.text(page.getByTestId('snippet-env'), `AZURE_CLIENT_SECRET=@Microsoft.KeyVault(VaultName=kv-contoso-dev;SecretName=${SECRET})`);
      await t.hygiene(value, { allowKeyVaultWrite: 1, expectKeyVaultWrites: 1 });
    },
  },
  {
    name: 'Dan may not assign roles: the pre-flight says so and names who can, and ARM\'s 403 is explained the same way',
    timeout: 90_000,
    async run(t) {
      const { page, expect } = t;
      expectHttpErrors(t, 403);
      const value = await storedOnDone(t, 'dan');
      const preflight = page.getByTestId('workload-preflight');
      await expect.text(preflight, 'Azure will probably refuse', { timeout: 15_000 });
      await expect.text(preflight, WHO_CAN);
      await expect.text(preflight, 'Microsoft.Authorization/roleAssignments/write');

      const worker = await pickIdentity(t, 'Payroll W', 'Payroll Worker (app)');
      // The command for someone who can, before trying.
      const vault = await sandboxVault(t, 'kv-contoso-dev');
      const scope = `${vault.id}/secrets/${SECRET}`;
      await expect.text(page.getByTestId('workload-az'), `--assignee-object-id '${worker}'`);
      await expect.text(page.getByTestId('workload-az'), `--scope '${scope}'`);

      // The pre-flight informs; trying anyway gets ARM's refusal, in the same words.
      await page.getByRole('button', { name: 'Grant Key Vault Secrets User to Payroll Worker' }).click();
      const refused = page.getByTestId('workload-refused');
      await expect.text(refused, `Azure refused: your account may not assign roles on "${SECRET}"`, { timeout: 15_000 });
      await expect.text(refused, WHO_CAN);
      await expect.text(refused, 'AuthorizationFailed');
      await expect.visible(page.getByTestId('workload-az'));
      expect.equal((await assignmentsOf(t, worker)).length, 0, 'nothing was assigned');
      await t.hygiene(value, { allowKeyVaultWrite: 1, expectKeyVaultWrites: 1 });
    },
  },
  {
    name: 'Without a vault, Done says how to store it next time and offers no role assignment',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      await openAppAs(t, 'dan', 'Payroll', 'Payroll API');
      await newSecret(t);
      await page.getByLabel('90 days').check();
      await page.getByLabel("Don't store it; I'll copy the value myself").check();
      await page.getByRole('button', { name: 'Create secret' }).click();
      const { value } = await valueOnScreen(t, 'Payroll API');
      await copyFinishAndCheck(t, value);
      await expect.text(page.getByTestId('workload-not-stored'), 'Next time, choose a vault on the Describe step');
      expect.equal(await page.getByRole('button', { name: 'Find', exact: true }).count(), 0, 'no identity search');
      expect.equal(await page.getByTestId('snippets').count(), 0, 'no snippets without a vault');
      expect.equal(sent(t, 'GET', (p) => p.includes('/providers/Microsoft.Authorization/permissions') && p.includes('/secrets/')).length, 0, 'no role pre-flight');
    },
  },
];
