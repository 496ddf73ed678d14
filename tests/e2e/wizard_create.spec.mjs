// The wizard, part 1: find an app, create a secret, see it once, leave nothing behind.
// Also exports the helpers the other wizard_*.spec.mjs files use.

const MASK = '••••••••••••••••••••••••••••••••';

/** The sandbox's record of an app, by display name. */
export async function sandboxApp(t, name) {
  const state = await t.sandbox.state();
  const app = state.applications.find((a) => a.displayName === name);
  t.expect.ok(app, `the sandbox has no app named ${JSON.stringify(name)}`);
  return app;
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

/** Review → Describe → pick a lifetime → Create. */
export async function createWith(t, lifetime) {
  const { page, expect } = t;
  await page.getByRole('button', { name: 'Create a new secret' }).click();
  await expect.visible(page.getByLabel('Description'));
  await page.getByLabel(lifetime).check();
  await page.getByRole('button', { name: 'Create secret' }).click();
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

/** The value the page shows after Reveal (then hidden again). */
async function revealed(t) {
  const { page, expect } = t;
  const field = page.getByTestId('secret-value');
  const toggle = page.getByRole('button', { name: 'Reveal' });
  expect.equal(await toggle.getAttribute('aria-pressed'), 'false', 'masked at first');
  expect.equal(await field.innerText(), MASK, 'the field shows only the mask');
  await toggle.click();
  const hide = page.getByRole('button', { name: 'Hide' });
  expect.equal(await hide.getAttribute('aria-pressed'), 'true');
  const value = await field.innerText();
  await hide.click();
  await expect.text(field, MASK);
  return value;
}

export const tests = [
  {
    name: 'Dev Dan creates a 180-day secret for Payroll API, copies it once, and nothing keeps it',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      await t.open('/');
      await t.signIn('dan');
      await openApp(t, 'Payroll', 'Payroll API');
      const note = page.getByTestId('access-note');
      await expect.text(note, 'You own this app');
      // The seeded secret ending in 20 days, with relative words and the date.
      await expect.visible(page.getByText(/Expires in 20 days \(\d{1,2} \w{3} \d{4}\)/));
      await createWith(t, '180 days');

      await expect.visible(page.getByRole('heading', { name: 'Your new secret' }));
      await expect.visible(page.getByText('You will not see this value again.'));
      const keyId = (await page.getByTestId('secret-key-id').innerText()).trim();
      const app = await sandboxApp(t, 'Payroll API');
      const recorded = app.passwordCredentials.find((c) => c.keyId === keyId);
      t.expect.ok(recorded, `the sandbox has the keyId the page shows (${keyId})`);
      const days = (Date.parse(recorded.endDateTime) - Date.parse(recorded.startDateTime)) / 86_400_000;
      expect.equal(days, 180, 'lifetime sent');
      // Client ID and tenant ID beside the value.
      const { tenantId } = await t.sandbox.state();
      await expect.visible(page.getByText(app.appId, { exact: true }));
      await expect.visible(page.getByText(tenantId, { exact: true }));

      const shown = await revealed(t);
      expect.equal(shown, recorded.secretText, 'Reveal shows the value Graph issued');

      // Reloading before copying asks first; staying keeps the value on the page.
      const asked = page.waitForEvent('dialog', { timeout: 5_000 }).then(async (d) => {
        const type = d.type();
        await d.dismiss();
        return type;
      });
      const reload = page.reload({ timeout: 3_000 }).catch(() => 'stayed');
      expect.equal(await asked, 'beforeunload', 'a reload before copying asks for confirmation');
      await reload;
      await expect.visible(page.getByRole('heading', { name: 'Your new secret' }));

      await page.getByRole('button', { name: 'Copy', exact: true }).click();
      await expect.text(page.getByRole('status').filter({ hasText: 'Copied' }), 'Copied');
      const clipboard = await page.evaluate(() => navigator.clipboard.readText());
      expect.equal(clipboard, recorded.secretText, 'the clipboard holds the recorded value');

      await page.getByRole('button', { name: 'Finish' }).click();
      await expect.visible(page.getByRole('heading', { name: 'Secret created' }));
      await expect.visible(page.getByText(keyId).first());
      await expectNoTrace(t, recorded.secretText);
      // Copied, so nothing holds the page any more: a reload asks nothing.
      let dialogs = 0;
      page.on('dialog', (d) => {
        dialogs += 1;
        d.dismiss().catch(() => {});
      });
      await page.reload();
      await expect.visible(page.getByRole('button', { name: 'Sign out' }));
      expect.equal(dialogs, 0, 'no beforeunload after Finish');
      await expectNoTrace(t, recorded.secretText);
      await t.hygiene(recorded.secretText);
    },
  },
  {
    name: 'Policy Restricted Service refuses 1 year with the policy explained (no maximum: Graph states none), then 180 days works',
    timeout: 45_000,
    async run(t) {
      const { page, expect } = t;
      // The browser logs the refused request (400) itself.
      t.allowConsoleError(/Failed to load resource: .*400/);
      await t.open('/');
      await t.signIn('dan');
      await openApp(t, 'Policy Restricted', 'Policy Restricted Service');
      await createWith(t, '1 year');
      const alert = page.locator('.error-panel');
      await expect.text(alert, "Your organisation's policy doesn't allow a secret for this app to last 1 year, and Microsoft Graph doesn't say how long it may last. Choose a shorter lifetime.");
      await expect.text(alert, 'CredentialInvalidLifetimeAsPerAppPolicy');
      await expect.hidden(page.getByLabel('1 year'));
      await expect.text(page.locator('#lifetime-max'), 'less than 1 year');
      let app = await sandboxApp(t, 'Policy Restricted Service');
      expect.equal(app.passwordCredentials.length, 1, 'nothing was created by the refusal');

      await page.getByLabel('180 days').check();
      await page.getByRole('button', { name: 'Create secret' }).click();
      await expect.visible(page.getByRole('heading', { name: 'Your new secret' }));
      const keyId = (await page.getByTestId('secret-key-id').innerText()).trim();
      app = await sandboxApp(t, 'Policy Restricted Service');
      const created = app.passwordCredentials.find((c) => c.keyId === keyId);
      t.expect.ok(created, 'the sandbox recorded the new secret');
      await page.getByRole('button', { name: 'Copy', exact: true }).click();
      await expect.text(page.getByRole('status').filter({ hasText: 'Copied' }), 'Copied');
      await page.getByRole('button', { name: 'Finish' }).click();
      await expect.visible(page.getByRole('heading', { name: 'Secret created' }));
      await expectNoTrace(t, created.secretText);
      await t.hygiene(created.secretText);
    },
  },
];
