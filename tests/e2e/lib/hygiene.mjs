// Secret hygiene: after a flow, a client secret's value must be nowhere the browser keeps,
// shows or sends things, except in the one Key Vault write that stores it.
//
// `findLeaks(t, value, opts)` lists every place that holds `value`; `assertNoLeak` fails when
// that list is not empty. Places looked at:
// - in every open page of the context (popups too) and every frame of it: localStorage,
//   sessionStorage, IndexedDB (every database, object store and record), document.cookie,
//   location.href, history.state (and history.length, reported), window.name, Cache Storage
//   (request URLs and response bodies) and, unless `dom: false`, the DOM (outerHTML plus every
//   input, textarea and select's `.value`);
// - the context's storage state (every origin's localStorage and IndexedDB and every cookie,
//   HttpOnly ones too), which also covers popups that have closed since;
// - every console message of every page (t.console);
// - every URL a page's main frame showed (t.navigations): the history entries we can observe;
// - every outgoing request (t.requests): URL, headers and body. Only the body of a Key Vault write
//   may hold it, and only when `allowKeyVaultWrite` says so (true: one such write; a number: at
//   most that many). A Key Vault write is a PUT to one of `keyVaultWriteTargets(t)`: an exact
//   origin and a path shape (ARM's `/arm/…/providers/Microsoft.KeyVault/vaults/{v}/secrets/{name}`
//   and the data plane's `/kv/{v}/secrets/{name}` on the sandbox's origin, and the suite's
//   gateway `/kv-gateway/…/secrets/{name}` on the app's origin); the same path on any other host
//   is a leak.
// The value is looked for as is, percent-encoded, JSON-escaped and base64 (any alignment).
//
// A sessionStorage of a popup that has closed is discarded with its window, so nothing is left
// there to look at; everything it sent is in t.requests.
import { AssertionError } from './expect.mjs';

let checks = 0;

/** How many hygiene checks passed in this run (the runner prints it). */
export function hygieneChecks() {
  return checks;
}

/** The forms in which `value` could be stored or sent. */
export function needles(value) {
  const out = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]);
  for (const shift of [0, 1, 2]) {
    // The value's bytes after `shift` leading bytes: the base64 digits that depend on it alone.
    const b64 = Buffer.from('\0'.repeat(shift) + value, 'utf8').toString('base64');
    const core = b64.slice(shift ? 4 : 0, -4);
    out.add(core);
    out.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...out].filter((n) => n.length >= 12);
}

/**
 * Where a Key Vault write may go in this suite: each an exact origin and a path shape. `app` and
 * `sandbox` are the base URLs the runner uses (t.app, t.sandbox.url). The sandbox serves ARM at
 * `/arm` and each vault's data plane at `/kv/{vault}` (static/config.sandbox.json,
 * sandbox/src/lib.rs); the gateway of faults_vault.spec.mjs (`dataPlaneThroughGateway`) is
 * `/kv-gateway` on the app's own origin.
 */
export function keyVaultWriteTargets({ app, sandbox }) {
  const origin = (base) => new URL(base).origin;
  return [
    {
      what: 'ARM',
      origin: origin(sandbox),
      path: /^\/arm\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+\/secrets\/[^/]+$/i,
    },
    { what: 'data plane', origin: origin(sandbox), path: /^\/kv\/[^/]+\/secrets\/[^/]+$/ },
    { what: 'gateway', origin: origin(app), path: /^\/kv-gateway\/(?:[^?#]*\/)?secrets\/[^/]+$/ },
  ];
}

/** Whether a request is the Key Vault write of a secret to one of `targets`. */
export function isKeyVaultWrite(request, targets) {
  if (request.method !== 'PUT') return false;
  let url;
  try {
    url = new URL(request.url);
  } catch {
    return false;
  }
  return targets.some((to) => url.origin === to.origin && to.path.test(url.pathname));
}

/** Runs in a page or frame: every place there that holds one of `needles`. */
async function scanFrame({ needles, dom }) {
  const hits = [];
  const has = (s) => typeof s === 'string' && needles.some((n) => s.includes(n));
  const text = (v) => {
    try {
      return JSON.stringify(v, (_k, x) => {
        if (x instanceof ArrayBuffer) return new TextDecoder().decode(x);
        if (ArrayBuffer.isView(x)) return new TextDecoder().decode(x);
        return x;
      });
    } catch {
      return String(v);
    }
  };
  const here = location.origin === 'null' ? location.href : location.origin;
  for (const name of ['localStorage', 'sessionStorage']) {
    let store;
    try {
      store = window[name];
    } catch {
      continue; // opaque origins have none
    }
    for (let i = 0; i < store.length; i += 1) {
      const k = store.key(i);
      if (has(k) || has(store.getItem(k))) hits.push(`${name} of ${here} [${k}]`);
    }
  }
  try {
    if (has(document.cookie)) hits.push(`document.cookie of ${here}`);
  } catch {
    // sandboxed frames may not read cookies
  }
  if (has(location.href)) hits.push(`location.href ${location.href}`);
  if (has(text(history.state))) hits.push(`history.state of ${here} (history.length ${history.length})`);
  if (has(window.name)) hits.push(`window.name of ${here}`);
  if (dom) {
    if (has(document.documentElement?.outerHTML)) hits.push(`DOM of ${location.href}`);
    for (const el of document.querySelectorAll('input, textarea, select')) {
      if (has(el.value)) hits.push(`value of <${el.tagName.toLowerCase()}${el.id ? ` id=${el.id}` : ''}${el.name ? ` name=${el.name}` : ''}> on ${location.href}`);
    }
  }
  if (typeof indexedDB !== 'undefined' && indexedDB.databases) {
    let dbs = [];
    try {
      dbs = await indexedDB.databases();
    } catch {
      dbs = [];
    }
    for (const { name } of dbs) {
      if (has(name)) hits.push(`IndexedDB database name ${name} of ${here}`);
      const found = await new Promise((resolve) => {
        const open = indexedDB.open(name);
        open.onerror = () => resolve([`IndexedDB ${name} of ${here} could not be opened`]);
        open.onsuccess = () => {
          const db = open.result;
          const stores = Array.from(db.objectStoreNames);
          if (stores.length === 0) {
            db.close();
            resolve([]);
            return;
          }
          const out = [];
          const tx = db.transaction(stores, 'readonly');
          for (const s of stores) {
            if (has(s)) out.push(`IndexedDB store name ${name}/${s} of ${here}`);
            const store = tx.objectStore(s);
            const keys = store.getAllKeys();
            keys.onsuccess = () => {
              if (has(text(keys.result))) out.push(`IndexedDB keys ${name}/${s} of ${here}`);
            };
            const values = store.getAll();
            values.onsuccess = () => {
              if (has(text(values.result))) out.push(`IndexedDB records ${name}/${s} of ${here}`);
            };
          }
          const done = () => {
            db.close();
            resolve(out);
          };
          tx.oncomplete = done;
          tx.onerror = done;
          tx.onabort = done;
        };
      });
      hits.push(...found);
    }
  }
  if (typeof caches !== 'undefined') {
    try {
      for (const cacheName of await caches.keys()) {
        if (has(cacheName)) hits.push(`Cache Storage name ${cacheName} of ${here}`);
        const cache = await caches.open(cacheName);
        for (const req of await cache.keys()) {
          if (has(req.url)) hits.push(`Cache Storage ${cacheName} request ${req.url}`);
          const res = await cache.match(req);
          if (res && has(await res.clone().text())) hits.push(`Cache Storage ${cacheName} response for ${req.url}`);
        }
      }
    } catch (e) {
      hits.push(`Cache Storage of ${here} could not be read: ${e}`);
    }
  }
  return hits;
}

/**
 * Every place that holds `value`. Options: `dom` (default true; false while the value is meant
 * to be on screen), `allowKeyVaultWrite` (false, true for one write, or a number).
 */
export async function findLeaks(t, value, { dom = true, allowKeyVaultWrite = false } = {}) {
  if (typeof value !== 'string' || value.length < 16) {
    throw new AssertionError(`hygiene: a real secret value to look for (got ${typeof value}, length ${value?.length})`);
  }
  const forms = needles(value);
  const has = (s) => typeof s === 'string' && forms.some((n) => s.includes(n));
  const hits = [];

  for (const page of t.context.pages()) {
    if (page.isClosed()) continue;
    for (const frame of page.frames()) {
      if (frame.isDetached()) continue;
      const url = frame.url();
      if (!/^https?:/.test(url)) continue; // about:blank and friends hold nothing of their own
      try {
        hits.push(...(await frame.evaluate(scanFrame, { needles: forms, dom })));
      } catch (e) {
        // A frame that navigates away mid-scan; the storage state below still covers its origin.
        if (!/Execution context was destroyed|Frame was detached|has been closed|Target closed/.test(e.message)) throw e;
      }
    }
  }

  const state = await t.context.storageState({ indexedDB: true });
  for (const c of state.cookies) {
    if (has(c.name) || has(c.value)) hits.push(`cookie ${c.name} of ${c.domain}${c.path}`);
  }
  for (const o of state.origins) {
    for (const { name, value: v } of o.localStorage ?? []) {
      if (has(name) || has(v)) hits.push(`stored localStorage of ${o.origin} [${name}]`);
    }
    if (has(JSON.stringify(o.indexedDB ?? []))) hits.push(`stored IndexedDB of ${o.origin}`);
  }

  for (const m of t.console) {
    if (has(m.text)) hits.push(`console.${m.type} on ${m.page}`);
  }
  for (const url of t.navigations) {
    if (has(url)) hits.push(`navigation to ${url}`);
  }

  await t.traffic.settled();
  const targets = keyVaultWriteTargets({ app: t.app, sandbox: t.sandbox.url });
  const allowed = allowKeyVaultWrite === true ? 1 : Number(allowKeyVaultWrite) || 0;
  let writes = 0;
  for (const r of t.requests) {
    const what = `${r.method} ${r.url}`;
    if (has(r.url)) hits.push(`request URL ${what}`);
    for (const [name, v] of Object.entries(r.headers ?? {})) {
      if (has(name) || has(v)) hits.push(`request header ${name} of ${what}`);
    }
    if (has(r.body)) {
      if (isKeyVaultWrite(r, targets)) {
        writes += 1;
        if (writes > allowed) hits.push(`request body of ${what} (Key Vault write ${writes}, ${allowed} allowed)`);
      } else {
        hits.push(`request body of ${what}`);
      }
    }
  }
  return { hits, keyVaultWrites: writes, requests: t.requests.length };
}

/**
 * Fails when `value` is anywhere but the allowed Key Vault write. Also proves on this page that
 * the scan finds a planted canary, so an empty result means something. Returns what it saw.
 */
export async function assertNoLeak(t, value, opts = {}) {
  const canary = `hygiene-canary-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  await t.page.evaluate((c) => {
    sessionStorage.setItem('hygiene-canary', c);
    localStorage.setItem('hygiene-canary', c);
  }, canary);
  const planted = await findLeaks(t, canary, { dom: false });
  await t.page.evaluate(() => {
    sessionStorage.removeItem('hygiene-canary');
    localStorage.removeItem('hygiene-canary');
  });
  const kinds = ['sessionStorage of', 'localStorage of', 'stored localStorage of'];
  for (const k of kinds) {
    if (!planted.hits.some((h) => h.startsWith(k))) {
      throw new AssertionError(`hygiene: the scan did not find a canary planted in ${k.replace(/ of$/, '')} (saw ${JSON.stringify(planted.hits)})`);
    }
  }
  const report = await findLeaks(t, value, opts);
  if (report.hits.length) {
    throw new AssertionError(`the secret value leaked to: ${report.hits.join('; ')}`);
  }
  if (opts.expectKeyVaultWrites !== undefined && report.keyVaultWrites !== opts.expectKeyVaultWrites) {
    throw new AssertionError(`expected ${opts.expectKeyVaultWrites} Key Vault write(s) carrying the value, saw ${report.keyVaultWrites}`);
  }
  checks += 1;
  return report;
}
