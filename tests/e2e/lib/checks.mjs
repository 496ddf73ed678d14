// Checks specs share: that a value is nowhere a page could keep it, what a stored vault version
// and the Done page's references must say, and which console errors the browser itself logs
// for answers a test provokes on purpose.
import { newCredential, sandboxApp, versions } from './records.mjs';

/**
 * The browser logs every 4xx/5xx answer on the console itself ("Failed to load resource"); for
 * the statuses a test provokes on purpose (a free name's 404, a refusal), that line is expected.
 */
export function expectHttpErrors(t, ...statuses) {
  t.allowConsoleError(new RegExp(`^Failed to load resource: the server responded with a status of (${statuses.join('|')}) `));
}

/** The browser logs failed loads (4xx/5xx, dropped connections) itself; those are expected here. */
export function allowLoadErrors(t) {
  t.allowConsoleError(/Failed to load resource|ERR_EMPTY_RESPONSE|ERR_CONNECTION|ERR_INVALID_HTTP_RESPONSE|blocked by CORS policy/);
}

/**
 * Looks for `value` everywhere a page could keep it: Web Storage, cookies, the URL and history
 * state, IndexedDB (names and every readable record), the DOM, and the console output so far.
 * A canary proves the scan finds what is there before it is trusted to find nothing.
 */
export async function expectNoTrace(t, value, { dom = true } = {}) {
  const scan = (v) =>
    t.page.evaluate(async ({ v, dom }) => {
      const hits = [];
      for (const [name, store] of [['localStorage', localStorage], ['sessionStorage', sessionStorage]]) {
        for (let i = 0; i < store.length; i += 1) {
          const k = store.key(i);
          if (k.includes(v) || (store.getItem(k) ?? '').includes(v)) hits.push(`${name}[${k}]`);
        }
      }
      if (document.cookie.includes(v)) hits.push('document.cookie');
      if (location.href.includes(v)) hits.push('location.href');
      if (JSON.stringify(history.state ?? null).includes(v)) hits.push('history.state');
      if (dom && document.documentElement.outerHTML.includes(v)) hits.push('DOM');
      const dbs = indexedDB.databases ? await indexedDB.databases() : [];
      for (const { name } of dbs) {
        if ((name ?? '').includes(v)) hits.push(`IndexedDB name ${name}`);
        const text = await new Promise((resolve) => {
          const open = indexedDB.open(name);
          open.onerror = () => resolve('');
          open.onsuccess = () => {
            const db = open.result;
            const stores = Array.from(db.objectStoreNames);
            if (stores.length === 0) {
              db.close();
              resolve('');
              return;
            }
            const tx = db.transaction(stores, 'readonly');
            const out = [];
            let left = stores.length;
            const done = () => {
              left -= 1;
              if (left === 0) {
                db.close();
                resolve(out.join('\n'));
              }
            };
            for (const s of stores) {
              const req = tx.objectStore(s).getAll();
              req.onsuccess = () => {
                out.push(JSON.stringify(req.result));
                done();
              };
              req.onerror = done;
            }
          };
        });
        if (text.includes(v)) hits.push(`IndexedDB ${name}`);
      }
      return hits;
    }, { v, dom });

  const canary = `canary-${Date.now()}-${Math.random()}`;
  await t.page.evaluate((c) => sessionStorage.setItem('wizard-e2e-canary', c), canary);
  t.expect.equal(JSON.stringify(await scan(canary)), '["sessionStorage[wizard-e2e-canary]"]', 'the scan finds a planted value');
  await t.page.evaluate(() => sessionStorage.removeItem('wizard-e2e-canary'));

  t.expect.ok(value && value.length >= 16, 'a real secret value to look for');
  const hits = await scan(value);
  for (const m of t.console) if (m.text.includes(value)) hits.push(`console.${m.type}`);
  t.expect.equal(JSON.stringify(hits), '[]', 'places that hold the secret value');
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

/**
 * Exactly one version of `secret` in `vault` more than `before` (the versions then), and it holds
 * the credential `keyId` names ([`expectVersionFor`]); returns that credential's records.
 */
export async function expectOneNewVersion(t, before, keyId, vault = 'kv-contoso-dev', secret = 'payroll-api-client-secret') {
  const now = await versions(t, vault, secret);
  t.expect.equal(now.length, before.length + 1, 'exactly one new version');
  const made = await newCredential(t, keyId);
  expectVersionFor(t, now[now.length - 1], made);
  return made;
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
