// Fault suite, Key Vault side: the write of the new secret is refused (ARM 403
// AuthorizationFailed, data-plane 403 ForbiddenByRbac and ForbiddenByFirewall, 409 for a name a
// soft-deleted secret still holds). For each: what the user sees, the value still there to copy
// or store another way, exactly the vault versions expected, and the hygiene check.
import { openApp } from './wizard_create.spec.mjs';
import { allowLoadErrors, copyValue, keyIds, sent, valueOnScreen } from './faults_graph.spec.mjs';

const DEV = 'kv-contoso-dev';
const LOCKED = 'kv-contoso-locked';
const SANDBOX_CONFIG = new URL('../../static/config.sandbox.json', import.meta.url);

/** Every version of every secret in every vault, as `vault/name` → values. */
export async function versions(t) {
  const out = {};
  for (const v of (await t.sandbox.state()).vaults.vaults) {
    for (const s of v.secrets) out[`${v.name}/${s.name}`] = s.versions.map((x) => x.value);
  }
  return out;
}

/** What changed between two `versions()`: `vault/name` → the new values. */
export function added(before, after) {
  const out = {};
  for (const [k, vals] of Object.entries(after)) {
    const fresh = vals.slice((before[k] ?? []).length);
    if (fresh.length) out[k] = fresh;
  }
  return out;
}

/**
 * Serves a config.json in data-plane mode whose gateway is this page's own origin, and plays
 * that same-origin gateway as deploy/README.md ("The Key Vault gateway") specifies it:
 * `/kv-gateway/{vault}/{data-plane path}` is forwarded to the sandbox's data plane of `{vault}`
 * (which answers no CORS, like the real one), and a request that names no vault is refused.
 * `fixedVault` plays a broken gateway that ignores the vault in the path and writes to that one.
 */
export async function dataPlaneThroughGateway(t, { fixedVault } = {}) {
  const { readFile } = await import('node:fs/promises');
  const config = JSON.parse(await readFile(SANDBOX_CONFIG, 'utf8'));
  const sandbox = new URL(t.sandbox.url).origin;
  for (const k of ['graph', 'arm']) config.customCloud[k] = config.customCloud[k].replace('http://127.0.0.1:8400', sandbox);
  for (const [k, v] of Object.entries(config.customCloud.authorityMetadata)) {
    config.customCloud.authorityMetadata[k] = v.replace('http://127.0.0.1:8400', sandbox);
  }
  config.vault = { ...config.vault, mode: 'dataPlane', gateway: `${t.app}/kv-gateway` };
  await t.context.route(`${t.app}/config.json`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(config) }),
  );
  await t.context.route(`${t.app}/kv-gateway/**`, async (route) => {
    const url = new URL(route.request().url());
    const named = /^\/kv-gateway\/([A-Za-z0-9-]{3,24})(\/(?:secrets|deletedsecrets)(?:\/.*)?)$/.exec(url.pathname);
    if (!named) {
      return route.fulfill({
        status: 400, contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'BadRequest', message: 'Name the vault: {gateway}/{vault}/secrets/...' } }),
      });
    }
    const [, vault, rest] = named;
    const target = `${sandbox}/kv/${fixedVault ?? vault}${rest}${url.search}`;
    const res = await route.fetch({ url: target });
    await route.fulfill({ response: res });
  });
}

/** Dan opens Payroll API, describes a 90-day secret stored in `vault` (as `name`), and creates it. */
export async function createStoredIn(t, vault, name, who = 'dan') {
  const { page, expect } = t;
  await t.open('/');
  await t.signIn(who);
  await openApp(t, 'Payroll', 'Payroll API');
  const before = await keyIds(t, 'Payroll API');
  await page.getByRole('button', { name: 'Create a new secret' }).click();
  await expect.visible(page.getByLabel('Description'));
  await page.getByLabel('90 days').check();
  const radio = page.getByRole('radio', { name: new RegExp(`^${vault} `) });
  await expect.visible(radio, { timeout: 15_000 });
  await radio.check();
  if (name) await page.getByLabel('Secret name in Key Vault').fill(name);
  return before;
}

export async function expectReady(t) {
  await t.expect.text(t.page.getByTestId('preflight'), 'You can store it here.', { timeout: 15_000 });
}

/** Create secret → Show once (exactly one new credential) → the value; then Store in Key Vault. */
export async function createAndStore(t, before) {
  const { page, expect } = t;
  await page.getByRole('button', { name: 'Create secret' }).click();
  const shown = await valueOnScreen(t, 'Payroll API');
  expect.equal((await keyIds(t, 'Payroll API')).length, before.length + 1, 'exactly one credential was created');
  await page.getByRole('button', { name: 'Store in Key Vault' }).click();
  return shown;
}

/** The refusal, with the value still on the page: it reveals, and it copies. */
export async function refusedButKept(t, value, words) {
  const { page, expect } = t;
  const problem = page.getByTestId('store-problem');
  for (const w of words) await expect.text(problem, w, { timeout: 15_000 });
  await expect.text(problem, 'Its value is still here, so nothing is lost');
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect.text(page.getByTestId('secret-value'), value);
  await page.getByRole('button', { name: 'Hide' }).click();
  await copyValue(t, value);
}

const isVaultPut = (p) => /\/secrets\/[^/]+$/.test(p);

/** Stored: Show once says where (then Finish), or the flow went on to Done by itself; Done says where it is. */
export async function storedAs(t, vault, name) {
  const { page, expect } = t;
  const done = page.getByRole('heading', { name: 'Secret created' });
  const panel = page.getByTestId('store-panel').filter({ hasText: `Stored in ${vault}` });
  await expect.visible(done.or(panel), { timeout: 15_000 });
  if (!(await done.isVisible())) await page.getByRole('button', { name: 'Finish' }).click();
  await expect.visible(done);
  await expect.visible(page.getByText(`The secret is in ${vault} as "${name}"`));
}

/** After "Use the ARM path": store again (the button, when the panel offers it). */
export async function storeThroughArm(t) {
  const { page } = t;
  await page.getByRole('button', { name: 'Use the ARM path' }).click();
  const store = page.getByRole('button', { name: /^Store/ });
  await t.expect.visible(store, { timeout: 15_000 });
  await store.click({ timeout: 15_000 });
}

export const tests = [
  {
    name: 'ARM 403 AuthorizationFailed on the vault write: the role to ask for, the value kept, nothing stored',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      allowLoadErrors(t);
      const before = await createStoredIn(t, DEV);
      await expectReady(t);
      const stored = await versions(t);
      // The role was taken away between the pre-flight and the write.
      await t.sandbox.fault({
        method: 'PUT', path: `/arm/subscriptions/*/resourceGroups/*/providers/Microsoft.KeyVault/vaults/${DEV}/secrets/*`, status: 403,
        body: { error: { code: 'AuthorizationFailed', message: `The client 'dan@contoso.example' with object id 'd0d0d0d0-0000-4000-8000-00000000da11' does not have authorization to perform action 'Microsoft.KeyVault/vaults/secrets/write' over scope '/subscriptions/c0de0001-7d3e-4a5b-9c8d-00000000de01/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/${DEV}/secrets/payroll-api-client-secret' or the scope is invalid. If access was recently granted, please refresh your credentials.` } },
      });
      const { value } = await createAndStore(t, before);
      await refusedButKept(t, value, ['Key Vault Contributor', DEV]);
      expect.equal(JSON.stringify(added(stored, await versions(t))), '{}', 'no vault version was written');
      expect.equal(sent(t, 'PUT', isVaultPut).length, 1, 'the write was sent once, not resent');
      // While it is on screen (masked) the value is still nowhere else: not even in the DOM.
      await t.hygiene(value, { allowKeyVaultWrite: true, expectKeyVaultWrites: 1 });
      await page.getByRole('button', { name: 'Finish' }).click();
      await expect.visible(page.getByRole('heading', { name: 'Secret created' }));
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
      const before = await createStoredIn(t, DEV);
      await expectReady(t);
      const stored = await versions(t);
      await t.sandbox.fault({
        method: 'PUT', path: `/kv/${DEV}/secrets/*`, status: 403,
        body: { error: { code: 'Forbidden', message: "Caller is not authorized to perform action on resource.\r\nCaller: name=dan@contoso.example\r\nAction: 'Microsoft.KeyVault/vaults/secrets/setSecret/action'\r\nAssignment: (not found)\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\nVault: kv-contoso-dev;location=westeurope\r\n", innererror: { code: 'ForbiddenByRbac' } } },
      });
      const { keyId, value } = await createAndStore(t, before);
      await refusedButKept(t, value, ['Key Vault Secrets Officer', DEV]);
      expect.equal(JSON.stringify(added(stored, await versions(t))), '{}', 'nothing was stored');
      await storeThroughArm(t);
      await storedAs(t, DEV, 'payroll-api-client-secret');
      const fresh = added(stored, await versions(t));
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
      const stored = await versions(t);
      await page.getByRole('button', { name: 'Use the ARM path' }).click();
      await expectReady(t);
      const { value } = await createAndStore(t, before);
      await storedAs(t, LOCKED, 'payroll-api-client-secret');
      expect.equal(JSON.stringify(added(stored, await versions(t))), JSON.stringify({ [`${LOCKED}/payroll-api-client-secret`]: [value] }), 'exactly one version, holding the value');
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
      const before = await createStoredIn(t, DEV);
      await expectReady(t);
      const stored = await versions(t);
      await t.sandbox.fault({
        method: 'PUT', path: `/kv/${DEV}/secrets/*`, status: 403,
        body: { error: { code: 'Forbidden', message: 'Client address is not authorized and caller is not a trusted service.\r\nClient address: 198.51.100.7\r\nCaller: name=dan@contoso.example\r\nVault: kv-contoso-dev;location=westeurope', innererror: { code: 'ForbiddenByFirewall' } } },
      });
      const { value } = await createAndStore(t, before);
      await refusedButKept(t, value, ["firewall doesn't allow your network", DEV]);
      expect.equal(JSON.stringify(added(stored, await versions(t))), '{}', 'nothing was stored');
      await t.hygiene(value, { allowKeyVaultWrite: true, expectKeyVaultWrites: 1 });
      await storeThroughArm(t);
      await storedAs(t, DEV, 'payroll-api-client-secret');
      expect.equal(JSON.stringify(added(stored, await versions(t))), JSON.stringify({ [`${DEV}/payroll-api-client-secret`]: [value] }), 'exactly one new version, holding the value');
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
      const before = await createStoredIn(t, DEV);
      await expectReady(t);
      const stored = await versions(t);
      const { value } = await createAndStore(t, before);
      await refusedButKept(t, value, ['HTTP 400']);
      t.expect.equal(JSON.stringify(added(stored, await versions(t))), '{}', 'nothing was stored');
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
      const stored = await versions(t);
      // ARM can't see soft-deleted secrets, so only the write itself finds out.
      await expectReady(t);
      const { value } = await createAndStore(t, before);
      await refusedButKept(t, value, ['A deleted secret named "legacy-reporting-secret" is still recoverable', DEV]);
      expect.equal(JSON.stringify(added(stored, await versions(t))), '{}', 'nothing was stored');
      await page.getByLabel('Another secret name').fill('payroll-api-client-secret-2');
      await page.getByRole('button', { name: 'Store under this name' }).click({ timeout: 15_000 });
      await storedAs(t, DEV, 'payroll-api-client-secret-2');
      const fresh = added(stored, await versions(t));
      expect.equal(JSON.stringify(fresh), JSON.stringify({ [`${DEV}/payroll-api-client-secret-2`]: [value] }), 'exactly one version, under the new name');
      await t.hygiene(value, { allowKeyVaultWrite: 2, expectKeyVaultWrites: 2 });
    },
  },
];
