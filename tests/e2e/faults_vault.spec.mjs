// Fault suite, Key Vault side: the write of the new secret is refused (ARM 403
// AuthorizationFailed, data-plane 403 ForbiddenByRbac and ForbiddenByFirewall, 409 for a name a
// soft-deleted secret still holds). For each: what the user sees, the value still there to copy
// or store another way, exactly the vault versions expected, and the hygiene check.
import { createAndStore, createStoredIn, dataPlaneThroughGateway, expectReady, finish, readyToCreateIn, refusedButKept, storedAs, storeThroughArm } from './lib/steps.mjs';
import { added, allVersions, keyIds, sent } from './lib/records.mjs';
import { allowLoadErrors } from './lib/checks.mjs';

const DEV = 'kv-contoso-dev';
const LOCKED = 'kv-contoso-locked';

const isVaultPut = (p) => /\/secrets\/[^/]+$/.test(p);

/** Arms the data plane's 403 (inner code `why`, Key Vault's `message`) for writes to kv-contoso-dev. */
const dataPlaneRefuses = (t, why, message) =>
  t.sandbox.fault({
    method: 'PUT', path: `/kv/${DEV}/secrets/*`, status: 403,
    body: { error: { code: 'Forbidden', message, innererror: { code: why } } },
  });

export const tests = [
  {
    name: 'ARM 403 AuthorizationFailed on the vault write: the role to ask for, the value kept, nothing stored',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      allowLoadErrors(t);
      const { before, stored } = await readyToCreateIn(t, DEV);
      // The role was taken away between the pre-flight and the write.
      await t.sandbox.fault({
        method: 'PUT', path: `/arm/subscriptions/*/resourceGroups/*/providers/Microsoft.KeyVault/vaults/${DEV}/secrets/*`, status: 403,
        body: { error: { code: 'AuthorizationFailed', message: `The client 'dan@contoso.example' with object id 'd0d0d0d0-0000-4000-8000-00000000da11' does not have authorization to perform action 'Microsoft.KeyVault/vaults/secrets/write' over scope '/subscriptions/c0de0001-7d3e-4a5b-9c8d-00000000de01/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/${DEV}/secrets/payroll-api-client-secret' or the scope is invalid. If access was recently granted, please refresh your credentials.` } },
      });
      const { value } = await createAndStore(t, before);
      await refusedButKept(t, value, ['Key Vault Contributor', DEV]);
      expect.equal(JSON.stringify(added(stored, await allVersions(t))), '{}', 'no vault version was written');
      expect.equal(sent(t, 'PUT', isVaultPut).length, 1, 'the write was sent once, not resent');
      // While it is on screen (masked) the value is still nowhere else: not even in the DOM.
      await t.hygiene(value, { allowKeyVaultWrite: true, expectKeyVaultWrites: 1 });
      await finish(t);
      await t.hygiene(value, { allowKeyVaultWrite: true });
    },
  },
  {
    name: 'Key Vault 403 ForbiddenByRbac through the gateway: Secrets Officer named, then the ARM path stores it once',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      allowLoadErrors(t);
      await dataPlaneThroughGateway(t);
      const { before, stored } = await readyToCreateIn(t, DEV);
      await dataPlaneRefuses(t, 'ForbiddenByRbac', "Caller is not authorized to perform action on resource.\r\nCaller: name=dan@contoso.example\r\nAction: 'Microsoft.KeyVault/vaults/secrets/setSecret/action'\r\nAssignment: (not found)\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\nVault: kv-contoso-dev;location=westeurope\r\n");
      const { keyId, value } = await createAndStore(t, before);
      await refusedButKept(t, value, ['Key Vault Secrets Officer', DEV]);
      expect.equal(JSON.stringify(added(stored, await allVersions(t))), '{}', 'nothing was stored');
      await storeThroughArm(t);
      await storedAs(t, DEV, 'payroll-api-client-secret');
      const fresh = added(stored, await allVersions(t));
      expect.equal(JSON.stringify(fresh), JSON.stringify({ [`${DEV}/payroll-api-client-secret`]: [value] }), 'exactly one new version, holding the value');
      expect.ok(keyId, 'the credential on screen');
      await t.hygiene(value, { allowKeyVaultWrite: 2, expectKeyVaultWrites: 2 });
    },
  },
  {
    name: 'Key Vault ForbiddenByFirewall found by the pre-flight (kv-contoso-locked through the gateway): nothing created until the ARM path is chosen, then stored once',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      allowLoadErrors(t);
      await dataPlaneThroughGateway(t);
      const before = await createStoredIn(t, LOCKED);
      // The vault's own answer to the name check: our address is not allowed.
      const preflight = page.getByTestId('preflight');
      await expect.text(preflight, "kv-contoso-locked's firewall doesn't allow your network", { timeout: 15_000 });
      await expect.text(preflight, 'ForbiddenByFirewall');
      expect.ok(await page.getByRole('button', { name: 'Create secret' }).isDisabled(), 'Create waits for a way to store it');
      expect.equal((await keyIds(t, 'Payroll API')).length, before.length, 'nothing created yet');
      const stored = await allVersions(t);
      await page.getByRole('button', { name: 'Use the ARM path' }).click();
      await expectReady(t);
      const { value } = await createAndStore(t, before);
      await storedAs(t, LOCKED, 'payroll-api-client-secret');
      expect.equal(JSON.stringify(added(stored, await allVersions(t))), JSON.stringify({ [`${LOCKED}/payroll-api-client-secret`]: [value] }), 'exactly one version, holding the value');
      await t.hygiene(value, { allowKeyVaultWrite: true, expectKeyVaultWrites: 1 });
    },
  },
  {
    name: 'Key Vault 403 ForbiddenByFirewall on the write itself (the network changed after the pre-flight): the value kept, then stored through ARM',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      allowLoadErrors(t);
      await dataPlaneThroughGateway(t);
      const { before, stored } = await readyToCreateIn(t, DEV);
      await dataPlaneRefuses(t, 'ForbiddenByFirewall', 'Client address is not authorized and caller is not a trusted service.\r\nClient address: 198.51.100.7\r\nCaller: name=dan@contoso.example\r\nVault: kv-contoso-dev;location=westeurope');
      const { value } = await createAndStore(t, before);
      await refusedButKept(t, value, ["firewall doesn't allow your network", DEV]);
      expect.equal(JSON.stringify(added(stored, await allVersions(t))), '{}', 'nothing was stored');
      await t.hygiene(value, { allowKeyVaultWrite: true, expectKeyVaultWrites: 1 });
      await storeThroughArm(t);
      await storedAs(t, DEV, 'payroll-api-client-secret');
      expect.equal(JSON.stringify(added(stored, await allVersions(t))), JSON.stringify({ [`${DEV}/payroll-api-client-secret`]: [value] }), 'exactly one new version, holding the value');
      await t.hygiene(value, { allowKeyVaultWrite: 2, expectKeyVaultWrites: 2 });
    },
  },
  {
    name: 'the gateway refuses the vault write with a page that replays the request: the details never show the value',
    timeout: 60_000,
    async run(t) {
      const { page } = t;
      allowLoadErrors(t);
      await dataPlaneThroughGateway(t);
      // The gateway (or a WAF in front of it) answers the write with a page that replays what
      // it refused: a body that holds the value, right at the start.
      await page.route(`${t.app}/kv-gateway/*/secrets/*?*`, async (route) => {
        const req = route.request();
        if (req.method() !== 'PUT') return route.fallback();
        await route.fulfill({ status: 400, contentType: 'text/plain', body: `Rejected: ${req.postData()}` });
      });
      const { before, stored } = await readyToCreateIn(t, DEV);
      const { value } = await createAndStore(t, before);
      await refusedButKept(t, value, ['HTTP 400']);
      t.expect.equal(JSON.stringify(added(stored, await allVersions(t))), '{}', 'nothing was stored');
      await t.hygiene(value, { allowKeyVaultWrite: true, expectKeyVaultWrites: 1 });
    },
  },
  {
    name: '409 for a name a deleted secret holds (legacy-reporting-secret): another name stores it once',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      allowLoadErrors(t);
      const before = await createStoredIn(t, DEV, 'legacy-reporting-secret');
      const stored = await allVersions(t);
      // ARM can't see soft-deleted secrets, so only the write itself finds out.
      await expectReady(t);
      const { value } = await createAndStore(t, before);
      await refusedButKept(t, value, ['A deleted secret named "legacy-reporting-secret" is still recoverable', DEV]);
      expect.equal(JSON.stringify(added(stored, await allVersions(t))), '{}', 'nothing was stored');
      await page.getByLabel('Another secret name').fill('payroll-api-client-secret-2');
      await page.getByRole('button', { name: 'Store under this name' }).click({ timeout: 15_000 });
      await storedAs(t, DEV, 'payroll-api-client-secret-2');
      const fresh = added(stored, await allVersions(t));
      expect.equal(JSON.stringify(fresh), JSON.stringify({ [`${DEV}/payroll-api-client-secret-2`]: [value] }), 'exactly one version, under the new name');
      await t.hygiene(value, { allowKeyVaultWrite: 2, expectKeyVaultWrites: 2 });
    },
  },
];
