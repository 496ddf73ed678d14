// `cargo xtask bench`, the browser part for first load and the main flow (xtask/src/perf.rs
// computes the gzip sizes and writes BENCHMARKS.md). Against the release build and the demo seed.
//
// First load, BENCH_RUNS times, each in a fresh browser context (empty cache, no session):
//   - every response on the app's origin with the bytes it took on the wire (CDP
//     Network.loadingFinished encodedDataLength; the static server sends no Content-Encoding,
//     so this is the raw size and xtask adds the gzip size from the files);
//   - when the Sign-in button was first in the DOM and enabled, relative to navigation start
//     (performance.now() in a MutationObserver installed before any page script runs: the
//     app itself is not changed to be measured).
// The flow, BENCH_RUNS times on a freshly reset sandbox: Dev Dan signs in, then the script does
// what a person would do to store a new Payroll API secret in kv-contoso-dev, counting:
//   - clicks from the signed-in landing page to "Stored in kv-contoso-dev" (typing is counted
//     apart: one search field);
//   - requests to the sandbox (Resource Timing, on the page's clock) started between the click
//     on "Create secret" and the value first on screen, and between "Store in Key Vault" and
//     "Stored in …"; what starts later (a verification read) is reported as a follow-up. CORS
//     preflights are not requests of the app and are not counted. The token cache is warm:
//     listing apps and vaults already needed both tokens.
// Prints `PERF-RESULT {json}`.
//
// Env: E2E_APP_URL, E2E_SANDBOX_URL, BENCH_RUNS (default 10), CHROMIUM.
import { APP, launch, SANDBOX } from './lib/browser.mjs';
import { sandboxClient, signIn } from './lib/harness.mjs';
import { expect } from './lib/expect.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 10));

const SIGN_IN_READY = 'perf:sign-in-ready';

/**
 * Installed before any page script: notes when "Sign in" is first present and enabled, and says
 * so on the console. The bench waits for that line rather than polling the page: Playwright's
 * first evaluation in a page compiles its own ~20 ms helper script on the page's main thread,
 * which, during start-up, would be counted as the app's time.
 */
function watchSignIn(line) {
  const look = () => {
    if (window.__perfSignInAt !== undefined) return;
    for (const b of document.querySelectorAll('button')) {
      if (b.textContent.trim() === 'Sign in' && !b.disabled) {
        window.__perfSignInAt = performance.now();
        observer.disconnect();
        console.debug(line);
        return;
      }
    }
  };
  const observer = new MutationObserver(look);
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
}

async function firstLoad(browser) {
  const context = await browser.newContext();
  await context.addInitScript(watchSignIn, SIGN_IN_READY);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const byId = new Map();
  cdp.on('Network.requestWillBeSent', (e) => byId.set(e.requestId, { url: e.request.url, method: e.request.method }));
  cdp.on('Network.responseReceived', (e) => {
    const r = byId.get(e.requestId);
    if (r) r.status = e.response.status;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = byId.get(e.requestId);
    if (r) r.encoded = e.encodedDataLength;
  });
  const ready = page.waitForEvent('console', { predicate: (m) => m.text() === SIGN_IN_READY, timeout: 30_000 });
  await page.goto(`${APP}/`, { waitUntil: 'load' });
  await ready;
  // Whatever the app fetches right after start (config.json) has finished by now; wait a
  // little longer so a late request would still be seen.
  await page.waitForTimeout(300);
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return { signInMs: window.__perfSignInAt, domContentLoadedMs: nav.domContentLoadedEventEnd, loadMs: nav.loadEventEnd };
  });
  await context.close();
  const requests = [...byId.values()]
    .filter((r) => r.url.startsWith(`${APP}/`))
    .map((r) => ({ path: new URL(r.url).pathname, status: r.status ?? 0, encoded: r.encoded ?? -1 }));
  return { ...timing, requests };
}

/**
 * Installed before any page script: the time of every click (capture phase, so before the app
 * sees it) and of the first moment each marker is on the page, on the page's own clock.
 */
function watchFlow() {
  window.__perfClicks = [];
  window.__perfSeen = {};
  let lastLabelAt = -1;
  addEventListener('click', (e) => {
    const el = e.target.closest?.('button, [role=button], input, label, a, summary');
    if (!el) return;
    const now = performance.now();
    // A click on a <label> makes the browser click its input too: one click, not two.
    if (el.tagName === 'INPUT' && now - lastLabelAt < 50) return;
    if (el.tagName === 'LABEL') lastLabelAt = now;
    // A vault radio's label goes on with its facts ("kv-… — rg · region · …"): its name is enough.
    const name = el.tagName === 'INPUT' ? (el.labels?.[0]?.textContent ?? el.value).split(' — ')[0] : el.textContent;
    window.__perfClicks.push({ at: now, what: (name || el.getAttribute('aria-label') || '').trim().slice(0, 40) });
  }, true);
  const markers = {
    value: () => [...document.querySelectorAll('h1, h2, h3')].some((h) => h.textContent.trim() === 'Your new secret'),
    stored: () => (document.querySelector('[data-testid=store-panel]')?.textContent ?? '').includes('Stored in kv-contoso-dev'),
  };
  new MutationObserver(() => {
    for (const [name, seen] of Object.entries(markers)) {
      if (window.__perfSeen[name] === undefined && seen()) window.__perfSeen[name] = performance.now();
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

async function flow(browser, sandbox) {
  await sandbox.reset();
  const context = await browser.newContext({ baseURL: APP });
  await context.addInitScript(watchFlow);
  const page = await context.newPage();
  await page.goto(`${APP}/`);
  await signIn({ page, context, sandboxUrl: SANDBOX, timeout: 30_000 }, 'dan');
  // The landing page after sign-in: from here on every click counts (sign-in is its own step).
  await page.evaluate(() => { window.__perfClicks = []; });

  let typed = 0;
  const click = async (locator) => {
    await expect.visible(locator, { timeout: 20_000 });
    await locator.click();
  };
  const check = async (locator) => {
    await expect.visible(locator, { timeout: 20_000 });
    await locator.check();
  };

  // Find the app by typing, pick it, ask for a new secret.
  await page.getByLabel('App name or Application (client) ID').fill('Payroll');
  typed += 1;
  await click(page.getByRole('button', { name: 'Payroll API', exact: true }));
  await click(page.getByRole('button', { name: 'Create a new secret' }));
  // Describe: the preset lifetime and description stay; pick the vault, wait for the pre-flight.
  await check(page.getByRole('radio', { name: /^kv-contoso-dev —/ }));
  await expect.text(page.getByTestId('preflight'), 'You can store it here.', { timeout: 20_000 });
  await click(page.getByRole('button', { name: 'Create secret' }));
  await page.waitForFunction(() => window.__perfSeen.value !== undefined, null, { timeout: 20_000 });
  await click(page.getByRole('button', { name: 'Store in Key Vault' }));
  await page.waitForFunction(() => window.__perfSeen.stored !== undefined, null, { timeout: 20_000 });
  // Anything sent right after (a verification read) is reported as a follow-up.
  await page.waitForTimeout(500);
  const seen = await page.evaluate((sandboxUrl) => ({
    clicks: window.__perfClicks,
    seen: window.__perfSeen,
    fetches: performance.getEntriesByType('resource')
      .filter((e) => e.name.startsWith(`${sandboxUrl}/`))
      .map((e) => ({ at: e.startTime, path: new URL(e.name).pathname })),
  }), SANDBOX);
  await context.close();

  const clickAt = (text) => {
    const c = [...seen.clicks].reverse().find((x) => x.what === text);
    if (!c) throw new Error(`no click on ${JSON.stringify(text)} was seen`);
    return c.at;
  };
  const during = (from, to) => seen.fetches.filter((f) => f.at >= from && f.at < to).map((f) => f.path);
  const createAt = clickAt('Create secret');
  const storeAt = clickAt('Store in Key Vault');
  const toValue = during(createAt, seen.seen.value);
  const afterValue = during(seen.seen.value, storeAt);
  const toStored = during(storeAt, seen.seen.stored);
  const afterStored = during(seen.seen.stored, Infinity);
  return {
    clicks: seen.clicks.length,
    clicked: seen.clicks.map((c) => c.what),
    typed,
    createRequests: toValue.length,
    createWhat: toValue,
    createAfter: afterValue.length,
    createAfterWhat: afterValue,
    createMs: seen.seen.value - createAt,
    storeRequests: toStored.length,
    storeWhat: toStored,
    storeAfter: afterStored.length,
    storeAfterWhat: afterStored,
    storeMs: seen.seen.stored - storeAt,
  };
}

async function main() {
  const browser = await launch();
  const sandbox = sandboxClient(SANDBOX);
  const loads = [];
  const flows = [];
  try {
    for (let i = 0; i < RUNS; i += 1) {
      const r = await firstLoad(browser);
      loads.push(r);
      const bytes = r.requests.reduce((n, q) => n + Math.max(0, q.encoded), 0);
      console.log(`load ${i + 1}/${RUNS}: Sign in ready at ${r.signInMs.toFixed(0)} ms, ` +
        `${r.requests.length} requests, ${bytes} bytes on the wire`);
    }
    for (let i = 0; i < RUNS; i += 1) {
      const f = await flow(browser, sandbox);
      flows.push(f);
      console.log(`flow ${i + 1}/${RUNS}: ${f.clicks} clicks (${f.clicked.join(' · ')}); Create → value ${f.createRequests} request(s) ` +
        `[${f.createWhat.join(', ')}] in ${f.createMs.toFixed(0)} ms, then [${f.createAfterWhat.join(', ')}]; ` +
        `Store → stored ${f.storeRequests} request(s) [${f.storeWhat.join(', ')}] in ${f.storeMs.toFixed(0)} ms, ` +
        `then [${f.storeAfterWhat.join(', ')}]`);
    }
  } finally {
    await browser.close();
  }
  console.log(`PERF-RESULT ${JSON.stringify({ runs: RUNS, loads, flows })}`);
}

main().catch((e) => {
  console.error(e.stack ?? String(e));
  process.exitCode = 1;
});
