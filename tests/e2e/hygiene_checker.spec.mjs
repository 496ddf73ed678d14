// The hygiene checker itself: a value planted in each place it claims to look at is found there,
// a value planted nowhere is found nowhere, and the Key Vault write allowance is exact: in count,
// path and host.
import { findLeaks, isKeyVaultWrite, keyVaultWriteTargets, needles } from './lib/hygiene.mjs';

/** ARM's secrets PUT, as the app sends it to the sandbox's ARM base (`/arm`). */
const ARM_PUT =
  '/arm/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-x/secrets/app-client-secret?api-version=2025-05-01';

/** A distinct, secret-shaped value per place. */
const plant = (place) => `${place}-Q~${Math.random().toString(36).slice(2)}${Date.now()}`;

export const tests = [
  {
    name: 'every place the checker claims to look at is really looked at',
    // It plants an unlabelled input on purpose; the final-screen axe check would only see that.
    axe: false,
    async run(t) {
      const { page, context, expect } = t;
      // Same-origin URLs answered here, so planting a request needs no service.
      await context.route(`${t.app}/_canary/**`, (route) => route.fulfill({ status: 204, body: '' }));
      await t.open('/');
      await expect.visible(page.getByRole('button', { name: 'Sign in', exact: true }));
      const v = Object.fromEntries(
        ['ls', 'ss', 'idb', 'cookie', 'url', 'state', 'name', 'dom', 'input', 'cache', 'log', 'req-url', 'req-header', 'req-body', 'popup', 'b64'].map(
          (k) => [k, plant(k)],
        ),
      );
      await page.evaluate(async (v) => {
        localStorage.setItem('k', v.ls);
        sessionStorage.setItem('k', v.ss);
        document.cookie = `c=${v.cookie}; path=/`;
        history.replaceState({ kept: v.state }, '');
        history.pushState(null, '', `/?q=${v.url}`);
        history.back();
        window.name = v.name;
        const p = document.createElement('p');
        p.textContent = v.dom;
        document.body.append(p);
        const input = document.createElement('input');
        input.id = 'planted';
        document.body.append(input);
        input.value = v.input; // a property, not an attribute: not in outerHTML
        sessionStorage.setItem('b', btoa(`xy${v.b64}xyz`));
        console.log(`note ${v.log}`);
        await new Promise((resolve, reject) => {
          const open = indexedDB.open('planted-db', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('s');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('s', 'readwrite');
            tx.objectStore('s').put({ nested: [v.idb] }, 'key');
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
          };
        });
        const cache = await caches.open('planted-cache');
        await cache.put('/_canary/cached', new Response(`body ${v.cache}`));
        await fetch(`/_canary/get?x=${v['req-url']}`);
        await fetch('/_canary/h', { headers: { 'x-planted': v['req-header'] } });
        await fetch('/_canary/post', { method: 'POST', body: JSON.stringify({ v: v['req-body'] }) });
      }, v);
      const popup = context.waitForEvent('page');
      await page.evaluate(() => window.open('/favicon.svg', 'planted'));
      const pop = await popup;
      await pop.waitForLoadState();
      await pop.evaluate((x) => sessionStorage.setItem('p', x), v.popup);

      const expected = {
        ls: 'localStorage of',
        ss: 'sessionStorage of',
        idb: 'IndexedDB records planted-db/s',
        cookie: 'document.cookie',
        url: 'navigation to',
        state: 'history.state',
        name: 'window.name',
        dom: 'DOM of',
        input: 'value of <input id=planted>',
        cache: 'Cache Storage planted-cache response',
        log: 'console.log',
        'req-url': 'request URL GET',
        'req-header': 'request header x-planted',
        'req-body': 'request body of POST',
        popup: 'sessionStorage of',
        b64: 'sessionStorage of',
      };
      for (const [k, where] of Object.entries(expected)) {
        const { hits } = await findLeaks(t, v[k]);
        expect.ok(hits.some((h) => h.includes(where)), `a value planted in ${where} is found there (saw ${JSON.stringify(hits)})`);
      }
      const stored = await findLeaks(t, v.ls);
      expect.ok(stored.hits.some((h) => h.startsWith('stored localStorage')), 'the storage state sees localStorage too');
      const cookie = await findLeaks(t, v.cookie);
      expect.ok(cookie.hits.some((h) => h.startsWith('cookie c of')), 'the cookie jar is read too');

      // Closing the popup: its localStorage-less sessionStorage is gone, and nothing is found.
      await pop.close();
      expect.equal(JSON.stringify((await findLeaks(t, v.popup)).hits), '[]', 'a closed popup keeps nothing');
      expect.equal(JSON.stringify((await findLeaks(t, plant('nowhere'))).hits), '[]', 'a value planted nowhere is found nowhere');
      await t.hygiene(plant('nowhere'));
    },
  },
  {
    name: 'only the body of a Key Vault write may carry the value, only as often as allowed, and only to the sandbox',
    async run(t) {
      const { page, context, expect } = t;
      const sandbox = t.sandbox.url;
      // Answered here, on both origins, so planting a write needs no service.
      const reply = (route) =>
        route.fulfill({ status: 200, headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' }, body: '{}' });
      await context.route(`${sandbox}/arm/subscriptions/s/**`, reply);
      await context.route(`${t.app}/arm/subscriptions/s/**`, reply);
      await t.open('/');
      await expect.visible(page.getByRole('button', { name: 'Sign in', exact: true }));
      const targets = keyVaultWriteTargets({ app: t.app, sandbox });
      const write = (url, method = 'PUT') => isKeyVaultWrite({ method, url }, targets);
      expect.ok(write(`${sandbox}${ARM_PUT}`), 'an ARM secrets PUT to the sandbox is a vault write');
      expect.ok(write(`${sandbox}/kv/kv-x/secrets/n?api-version=7.5`), "a PUT to the sandbox's data plane is a vault write");
      expect.ok(write(`${t.app}/kv-gateway/secrets/n?api-version=7.5`), "a PUT through the suite's gateway is a vault write");
      expect.ok(!write(`${sandbox}/kv/kv-x/secrets/n`, 'POST'), 'a POST is not');
      expect.ok(!write(`${sandbox}/kv/kv-x/secrets/n/versions`), 'a PUT elsewhere is not');
      const otherPort = new URL(sandbox);
      otherPort.port = String(Number(otherPort.port || 80) + 1);
      for (const host of ['https://evil.example', t.app, otherPort.origin]) {
        expect.ok(!write(`${host}${ARM_PUT}`), `the ARM path on ${host} is not`);
        expect.ok(!write(`${host}/kv/kv-x/secrets/n`), `the data-plane path on ${host} is not`);
      }
      expect.ok(!write(`https://evil.example/kv-gateway/secrets/n`), "the gateway's path on another host is not");
      expect.ok(!write('https://kv-x.vault.azure.net/secrets/n?api-version=7.5'), "a vault host this suite never talks to is not");
      const value = plant('kv');
      expect.ok(needles(value).includes(value), 'the raw value is one of the forms looked for');

      const put = (url, value) =>
        page.evaluate(
          ({ url, value }) => fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ properties: { value } }) }),
          { url, value },
        );
      await put(`${sandbox}${ARM_PUT}`, value);
      expect.equal((await findLeaks(t, value, { allowKeyVaultWrite: true })).hits.length, 0, 'one write is allowed');
      const strict = await findLeaks(t, value);
      expect.ok(strict.hits.some((h) => h.startsWith('request body of PUT')), `without the allowance it is a leak (${JSON.stringify(strict.hits)})`);
      await t.hygiene(value, { allowKeyVaultWrite: true, expectKeyVaultWrites: 1 });

      await put(`${sandbox}${ARM_PUT}`, value);
      const twice = await findLeaks(t, value, { allowKeyVaultWrite: true });
      expect.ok(twice.hits.some((h) => h.includes('Key Vault write 2, 1 allowed')), `a second write is one too many (${JSON.stringify(twice.hits)})`);
      expect.equal((await findLeaks(t, value, { allowKeyVaultWrite: 2 })).hits.length, 0, 'unless two are allowed');

      // The same path on the app's own origin is not the sandbox's ARM: a leak, whatever the allowance.
      const elsewhere = plant('kvhost');
      await put(`${t.app}${ARM_PUT}`, elsewhere);
      const moved = await findLeaks(t, elsewhere, { allowKeyVaultWrite: 5 });
      expect.ok(
        moved.hits.some((h) => h === `request body of PUT ${t.app}${ARM_PUT}`),
        `a vault write's path on another host is a leak (${JSON.stringify(moved.hits)})`,
      );
      expect.equal(moved.keyVaultWrites, 0, 'and is not counted as a vault write');

      const inUrl = plant('kvurl');
      await page.evaluate((u) => fetch(u, { method: 'PUT', body: '{}' }), `${sandbox}${ARM_PUT.replace('app-client-secret', inUrl)}`);
      const url = await findLeaks(t, inUrl, { allowKeyVaultWrite: 5 });
      expect.ok(url.hits.some((h) => h.startsWith('request URL PUT')), 'a value in a vault write URL is always a leak');
    },
  },
];
