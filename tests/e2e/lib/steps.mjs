// Page steps the specs share, as a user takes them: sign in as a persona, find and open an app,
// describe and create a secret, read it on Show once, copy it, finish; pick a vault, wait for the
// pre-flight, store; open the overview. Each step waits until the page shows its result, so a
// spec reads as the user's path. What the sandbox holds is in records.mjs; checks in checks.mjs.
import { readFile } from 'node:fs/promises';
import { allVersions, keyIds, sandboxApp } from './records.mjs';

/** What the secret field shows instead of the value. */
export const MASK = '••••••••••••••••••••••••••••••••';

/** Opens `path` (the app's start by default) and signs in as `who`; returns the persona. */
export async function signedIn(t, who, path = '/') {
  await t.open(path);
  return t.signIn(who);
}

/** Signs `who` in and waits for the first (unfiltered) app list to show each of `names`. */
export async function signedInWithList(t, who, names) {
  await signedIn(t, who);
  for (const name of names) await t.expect.visible(t.page.getByRole('button', { name, exact: true }));
}

/** From the Choose step: search by name (or client ID) and open the app's Review page. */
export async function openApp(t, query, name = query) {
  const { page, expect } = t;
  await page.getByLabel('App name or Application (client) ID').fill(query);
  const row = page.getByRole('button', { name, exact: true });
  await expect.visible(row);
  await row.click();
  await expect.visible(page.getByRole('heading', { level: 2, name, exact: true }));
}

/** Signs `who` in and opens the app's Review page ([`openApp`]). */
export async function openAppAs(t, who, query, name = query) {
  await signedIn(t, who);
  await openApp(t, query, name);
}

/** Review → Describe ("Create a new secret"), once its form is there. */
export async function newSecret(t) {
  await t.page.getByRole('button', { name: 'Create a new secret' }).click();
  await t.expect.visible(t.page.getByLabel('Description'));
}

/** Review → Describe → pick a lifetime → Create. */
export async function createWith(t, lifetime) {
  const { page } = t;
  await newSecret(t);
  await page.getByLabel(lifetime).check();
  await page.getByRole('button', { name: 'Create secret' }).click();
}

/** Show once ("Your new secret", waited for with `wait`'s timeout): the keyId it shows. */
export async function shownKeyId(t, wait = {}) {
  const { page, expect } = t;
  await expect.visible(page.getByRole('heading', { name: 'Your new secret' }), wait);
  return (await page.getByTestId('secret-key-id').innerText()).trim();
}

/** Describe → "Create secret" → Show once; returns the keyId it shows. */
export async function createSecret(t, wait = {}) {
  await t.page.getByRole('button', { name: 'Create secret' }).click();
  return shownKeyId(t, wait);
}

/**
 * On Show once: the value shown (after Reveal) is the value the sandbox recorded for the keyId
 * on screen, and it copies. Returns `{ keyId, value }`; the value stays on the page.
 */
export async function valueOnScreen(t, app) {
  const { page, expect } = t;
  const keyId = await shownKeyId(t, { timeout: 20_000 });
  const recorded = (await sandboxApp(t, app)).passwordCredentials.find((c) => c.keyId === keyId);
  expect.ok(recorded, `the sandbox has the keyId the page shows (${keyId})`);
  const field = page.getByTestId('secret-value');
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect.text(field, recorded.secretText);
  await page.getByRole('button', { name: 'Hide' }).click();
  await expect.text(field, MASK);
  return { keyId, value: recorded.secretText };
}

/** Show once: Copy, and the page says "Copied". */
export async function copied(t) {
  const { page, expect } = t;
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect.text(page.getByRole('status').filter({ hasText: 'Copied' }), 'Copied');
}

/** Copies the value on screen, checks the clipboard, then empties it (the clipboard is the browser's, not the page's). */
export async function copyValue(t, value) {
  const { page, expect } = t;
  await copied(t);
  expect.equal(await page.evaluate(() => navigator.clipboard.readText()), value, 'the clipboard holds the value');
  await page.evaluate(() => navigator.clipboard.writeText(''));
}

/** Show once → Finish → Done ("Secret created"). */
export async function finish(t) {
  await t.page.getByRole('button', { name: 'Finish' }).click();
  await t.expect.visible(t.page.getByRole('heading', { name: 'Secret created' }));
}

/** Show once → copy → Finish → Done, then the hygiene check with the value gone from the page. */
export async function copyFinishAndCheck(t, value, hygiene = {}) {
  await copyValue(t, value);
  await finish(t);
  await t.hygiene(value, hygiene);
}

/** After a lost or refused addPassword: "Remove it"/"Remove them", confirmed in the dialog. */
export async function removeOrphans(t, one) {
  const { page } = t;
  await page.getByRole('button', { name: one ? 'Remove it' : 'Remove them' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: one ? 'Remove secret' : 'Remove secrets' }).click();
}

/** Dan, on Payroll API's Describe step, with a 180-day lifetime chosen. */
export async function describePayroll(t, who = 'dan') {
  const { page, expect } = t;
  await openAppAs(t, who, 'Payroll', 'Payroll API');
  await newSecret(t);
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

/** Picks a vault in the Describe step's list as it first shows (no search). */
export async function pickVault(t, vault) {
  const radio = t.page.getByRole('radio', { name: new RegExp(`^${vault} `) });
  await t.expect.visible(radio, { timeout: 15_000 });
  await radio.check();
}

/** The pre-flight result box on Describe, once it says something other than "checking". */
export async function preflight(t, text) {
  return t.expect.text(t.page.getByTestId('preflight'), text, { timeout: 15_000 });
}

/** The pre-flight says the secret can be stored in the chosen vault. */
export async function expectReady(t) {
  await preflight(t, 'You can store it here.');
}

/** Dan on Payroll API's Describe step with `vault` chosen, and the pre-flight says it can be stored there. */
export async function readyToStore(t, vault = 'kv-contoso-dev') {
  await describePayroll(t);
  await chooseVault(t, vault);
  await expectReady(t);
}

/** After a store: Show once says where it went, and Finish leads to Done (no question asked). */
export async function finishStored(t, vault) {
  const { page, expect } = t;
  await expect.text(page.getByTestId('store-panel'), `Stored in ${vault}`, { timeout: 15_000 });
  await finish(t);
  t.expect.equal(await page.getByRole('alertdialog').count(), 0, 'stored, so leaving asks nothing');
}

/** `who` opens Payroll API, describes a 90-day secret stored in `vault` (as `name`); returns the keyIds before. */
export async function createStoredIn(t, vault, name, who = 'dan') {
  const { page } = t;
  await openAppAs(t, who, 'Payroll', 'Payroll API');
  const before = await keyIds(t, 'Payroll API');
  await newSecret(t);
  await page.getByLabel('90 days').check();
  await pickVault(t, vault);
  if (name) await page.getByLabel('Secret name in Key Vault').fill(name);
  return before;
}

/**
 * [`createStoredIn`] (no name given) with the pre-flight saying it can be stored; returns the
 * keyIds (`before`) and every vault's versions (`stored`) from before anything is created.
 */
export async function readyToCreateIn(t, vault, who = 'dan') {
  const before = await createStoredIn(t, vault, undefined, who);
  await expectReady(t);
  return { before, stored: await allVersions(t) };
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

const SANDBOX_CONFIG = new URL('../../../static/config.sandbox.json', import.meta.url);

/**
 * Serves a config.json in data-plane mode whose gateway is this page's own origin, and plays
 * that same-origin gateway as deploy/README.md ("The Key Vault gateway") specifies it:
 * `/kv-gateway/{vault}/{data-plane path}` is forwarded to the sandbox's data plane of `{vault}`
 * (which answers no CORS, like the real one), and a request that names no vault is refused.
 * `fixedVault` plays a broken gateway that ignores the vault in the path and writes to that one.
 */
export async function dataPlaneThroughGateway(t, { fixedVault } = {}) {
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

/** Signs in and opens the overview; resolves once the table is on screen. */
export async function openOverview(t, who) {
  const { page, expect } = t;
  await signedIn(t, who);
  await page.getByRole('button', { name: 'Expiry overview' }).click();
  await expect.visible(page.getByRole('heading', { level: 1, name: 'Expiry overview' }));
  await expect.visible(page.locator('table.ov-table tbody tr').first(), { timeout: 20_000 });
}
