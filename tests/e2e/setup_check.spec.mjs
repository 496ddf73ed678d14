// The Setup check page (/setup): every line ok on the demo, and each misconfiguration shows
// its own line with its fix. It creates nothing.
import { expectHttpErrors } from './lib/checks.mjs';

/** Opens /setup, signs in from the page (as `who`), and waits until every line is decided. */
async function check(t, who = 'ada') {
  const { page, expect } = t;
  await t.open('/setup');
  await expect.visible(page.getByRole('heading', { name: 'Setup check' }), { timeout: 15_000 });
  if (who) {
    const popup = t.context.waitForEvent('page');
    await page.getByRole('button', { name: 'Sign in to check the rest' }).click();
    const signIn = await popup;
    await signIn.getByRole('button', { name: new RegExp(who === 'ada' ? 'Ada Admin' : 'Dev Dan') }).click();
    await expect.visible(page.getByRole('button', { name: 'Sign out' }), { timeout: 15_000 });
  }
  await page.waitForFunction(() => document.querySelector('main.setup')?.getAttribute('aria-busy') === 'false', null, { timeout: 20_000 });
}

/** The line titled `title`: its status word and its text. */
async function line(t, title) {
  const item = t.page.locator('.setup-line').filter({ has: t.page.getByRole('heading', { name: title, exact: true }) });
  t.expect.equal(await item.count(), 1, `one line titled ${title}`);
  return { status: await item.getAttribute('data-status'), text: await item.innerText() };
}

async function statuses(t) {
  return t.page.locator('.setup-line').evaluateAll((items) =>
    items.map((i) => [i.querySelector('h3').textContent, i.getAttribute('data-status')]));
}

/** Serves config.json changed by `change` (a function of the real one). */
async function configWith(t, change) {
  await t.page.route('**/config.json', async (route) => {
    const res = await route.fetch();
    const json = change(await res.json());
    await route.fulfill({ response: res, json });
  });
}

export const tests = [
  {
    name: 'on the demo every line is ok, and what the optional permissions would add is a note',
    async run(t) {
      const { page, expect } = t;
      const before = JSON.stringify((await t.sandbox.state()).applications);
      await check(t);
      await expect.text(page.locator('.setup-summary'), 'No problems found.');
      const all = await statuses(t);
      expect.ok(all.every(([, s]) => s === 'ok' || s === 'note'), JSON.stringify(all));
      expect.equal((await line(t, 'config.json')).status, 'ok');
      expect.equal((await line(t, 'Redirect page')).status, 'ok');
      expect.includes((await line(t, 'Sign-in')).text, 'Ada Admin');
      const graph = await line(t, 'Permissions: Microsoft Graph');
      expect.equal(graph.status, 'note');
      expect.includes(graph.text, 'Optional, not granted: RoleManagement.Read.Directory, for telling');
      expect.includes(graph.text, 'Policy.Read.All, for knowing');
      expect.equal((await line(t, 'Permissions: Azure Resource Manager')).status, 'ok');
      expect.equal((await line(t, 'Microsoft Graph')).status, 'ok');
      expect.includes((await line(t, 'Azure Resource Manager')).text, 'key vault(s)');
      // It changed nothing.
      expect.equal(JSON.stringify((await t.sandbox.state()).applications), before, 'the directory is as it was');
    },
  },
  {
    name: 'with the optional permissions granted the Graph line says so',
    async run(t) {
      await t.sandbox.consent({ graph: ['Application.ReadWrite.All', 'User.Read', 'Policy.Read.All', 'RoleManagement.Read.Directory'] });
      await check(t);
      const graph = await line(t, 'Permissions: Microsoft Graph');
      t.expect.equal(graph.status, 'ok');
      t.expect.includes(graph.text, 'Optional, granted: RoleManagement.Read.Directory, Policy.Read.All');
    },
  },
  {
    name: 'without consent for ARM its permission line and the ARM line say what to grant',
    async run(t) {
      await t.sandbox.consent({ arm: [] });
      expectHttpErrors(t, 400);
      await check(t);
      const arm = await line(t, 'Permissions: Azure Resource Manager');
      t.expect.equal(arm.status, 'problem');
      t.expect.includes(arm.text, 'No admin consent for Azure Resource Manager');
      t.expect.includes(arm.text, 'Grant admin consent');
      t.expect.equal((await line(t, 'Azure Resource Manager')).status, 'problem');
      t.expect.equal((await line(t, 'Permissions: Microsoft Graph')).status, 'note');
      t.expect.equal(await t.page.getByRole('alertdialog').count(), 0, 'the check never asks for a window');
    },
  },
  {
    name: 'a required Graph permission not granted is named with what it is for',
    async run(t) {
      await t.sandbox.consent({ graph: ['User.Read'] });
      expectHttpErrors(t, 403);
      await check(t);
      const graph = await line(t, 'Permissions: Microsoft Graph');
      t.expect.equal(graph.status, 'problem');
      t.expect.includes(graph.text, 'not Application.ReadWrite.All');
      t.expect.includes(graph.text, 'Delegated: Application.ReadWrite.All');
      // And Graph itself refuses to list apps with what was granted.
      t.expect.equal((await line(t, 'Microsoft Graph')).status, 'problem');
    },
  },
  {
    name: 'a redirect page served with COOP or cacheable is a problem with its fix',
    async run(t) {
      // Only the page's own check sees the changed headers; the sign-in window is left alone.
      await t.page.route('**/redirect.html', async (route) => {
        const res = await route.fetch();
        await route.fulfill({ response: res, headers: { ...res.headers(), 'cross-origin-opener-policy': 'same-origin', 'cache-control': 'max-age=600' } });
      });
      await check(t, null);
      const r = await line(t, 'Redirect page');
      t.expect.equal(r.status, 'problem');
      t.expect.includes(r.text, 'Cross-Origin-Opener-Policy: same-origin');
      t.expect.includes(r.text, 'may be cached');
      t.expect.includes(r.text, 'deploy/headers.json');
      t.expect.equal((await line(t, 'Sign-in')).status, 'not-checked');
      t.expect.equal((await line(t, 'Microsoft Graph')).status, 'not-checked');
    },
  },
  {
    name: 'an invalid config.json is the one line that fails, and nothing else is tried',
    async run(t) {
      await configWith(t, (c) => ({ ...c, clientId: 'not-a-guid' }));
      await t.open('/setup');
      await t.expect.visible(t.page.getByRole('heading', { name: 'Setup check' }), { timeout: 15_000 });
      const c = await line(t, 'config.json');
      t.expect.equal(c.status, 'problem');
      t.expect.includes(c.text, 'clientId');
      t.expect.equal((await line(t, 'Sign-in')).status, 'not-checked');
    },
  },
  {
    name: 'a vault named in config.json that does not exist is its own line',
    async run(t) {
      expectHttpErrors(t, 404);
      const vaults = (await t.sandbox.state()).vaults;
      const list = vaults.vaults ?? vaults;
      const real = list.find((v) => v.name === 'kv-contoso-dev');
      const missing = real.id.replace(/vaults\/kv-contoso-dev$/, 'vaults/kv-gone-away');
      await configWith(t, (c) => ({ ...c, vault: { ...c.vault, default: real.id, allowed: [real.id, missing] } }));
      await check(t);
      t.expect.equal((await line(t, 'Key vault kv-contoso-dev')).status, 'ok');
      const gone = await line(t, 'Key vault kv-gone-away');
      t.expect.equal(gone.status, 'problem');
      t.expect.includes(gone.text, "isn't reachable");
    },
  },
  {
    name: 'the signed-out page and a failed sign-in lead to the Setup check',
    async run(t) {
      const { page, expect } = t;
      await t.open('/');
      // A sign-in that ends in an error (cancelled on the sign-in page) links to it too.
      const popup = t.context.waitForEvent('page');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await (await popup).getByRole('button', { name: 'Cancel' }).click();
      const failed = page.getByRole('alert');
      await expect.visible(failed, { timeout: 15_000 });
      await expect.visible(failed.getByRole('link', { name: 'Setup check' }));
      const link = page.getByRole('link', { name: 'Setup check' });
      t.expect.equal(await link.count(), 2, 'under the failure, and on the page itself');
      await link.first().click();
      await expect.visible(page.getByRole('heading', { name: 'Setup check' }), { timeout: 15_000 });
    },
  },
];
