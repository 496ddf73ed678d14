// `cargo xtask bench`, the browser part: the expiry overview with a large tenant.
// Signs in once as Ada Admin, then for each run reloads the page (a cold app, warm token cache),
// opens the overview and reads the app's own performance marks:
//   overview-start → overview-loaded (every Graph page in) → overview-rendered (table on screen),
//   overview-filter-start → overview-filter-rendered (one filter change drawn),
//   overview-rendered → overview-owners-loaded (every app's owners in: $expand pages, $batches).
// Resource Timing gives the part of the fetch spent waiting for the sandbox's answers.
// Graph requests are counted with page.on('request') from the click to the rendered table (the
// owners chain apart: it starts once the table is drawn).
// The alternative the owners chain was chosen over (credentials and owners in one chain, with
// $expand, 100 apps a page) is timed from node with the app's own Graph token: that chain, the
// credentials chain alone (999 a page) and the owners chain's pages, each fetched to the end.
// Prints `BENCH-RESULT {json}` with every run and the medians.
//
// Env: E2E_APP_URL, E2E_SANDBOX_URL, BENCH_RUNS (default 10), CHROMIUM.
import { APP, launch, SANDBOX } from './lib/browser.mjs';
import { signIn } from './lib/harness.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 10));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Waits until the mark has been set `n` times; returns the last one's start time. */
async function waitMark(page, name, n = 1, timeout = 60_000) {
  await page.waitForFunction(
    ([name, n]) => performance.getEntriesByName(name, 'mark').length >= n,
    [name, n],
    { timeout },
  );
  return page.evaluate((name) => {
    const all = performance.getEntriesByName(name, 'mark');
    return all[all.length - 1].startTime;
  }, name);
}

/** Fetches `url` and every nextLink with `token`; requests and milliseconds. */
async function chain(url, token) {
  const t0 = performance.now();
  let requests = 0;
  let next = url;
  while (next) {
    const res = await fetch(next, { headers: { authorization: token } });
    requests += 1;
    if (!res.ok) throw new Error(`${next}: ${res.status}`);
    next = (await res.json())['@odata.nextLink'];
  }
  return { requests, ms: performance.now() - t0 };
}

const isOwners = (url) => decodeURIComponent(url).includes('$expand=owners') || url.endsWith('/$batch');

async function oneRun(page, first) {
  if (!first) {
    await page.reload();
    await page.getByRole('button', { name: 'Expiry overview' }).waitFor({ timeout: 30_000 });
  }
  const graph = [];
  const owners = [];
  let token = null;
  const onRequest = (req) => {
    const url = req.url();
    if (!url.startsWith(`${SANDBOX}/graph/`) || req.method() === 'OPTIONS') return;
    if (isOwners(url)) owners.push(url);
    else graph.push(url);
    token ??= req.headers().authorization ?? null;
  };
  page.on('request', onRequest);
  await page.getByRole('button', { name: 'Expiry overview' }).click();
  const start = await waitMark(page, 'overview-start');
  const loaded = await waitMark(page, 'overview-loaded');
  const rendered = await waitMark(page, 'overview-rendered');
  const ownersLoaded = await waitMark(page, 'overview-owners-loaded');
  page.off('request', onRequest);
  const ownersFailed = await page.locator('#ov-owners-status').innerText();
  if (ownersFailed.trim()) throw new Error(`owners: ${ownersFailed}`);
  // Time spent waiting for the sandbox's answers to the apps pages (Resource Timing).
  const networkMs = await page.evaluate(([sandbox, start]) => performance.getEntriesByType('resource')
    .filter((e) => e.name.startsWith(`${sandbox}/graph/v1.0/applications`) && e.startTime >= start
      && !decodeURIComponent(e.name).includes('$expand='))
    .reduce((sum, e) => sum + (e.responseEnd - e.startTime), 0), [SANDBOX, start]);
  const rows = await page.locator('table.ov-table tbody tr').count();
  const showing = await page.locator('#ov-showing').innerText();

  // One status chip off (every row is tested again, the table redrawn).
  await page.getByLabel(/^Expired \(/).uncheck();
  const chipEnd = await waitMark(page, 'overview-filter-rendered', 1);
  const chipStart = await page.evaluate(() => performance.getEntriesByName('overview-filter-start', 'mark').at(-1).startTime);
  // One search (the counts and the month buckets are computed again too).
  await page.getByLabel('Search').fill('filler app 01');
  const searchEnd = await waitMark(page, 'overview-filter-rendered', 2);
  const searchStart = await page.evaluate(() => performance.getEntriesByName('overview-filter-start', 'mark').at(-1).startTime);

  // The alternative, from node with the app's token (no rendering; the app's own chains above
  // include it).
  if (!token) throw new Error('no Graph token seen');
  const base = `${SANDBOX}/graph/v1.0/applications`;
  const ownersExpand = encodeURIComponent('owners($select=id,displayName,userPrincipalName)');
  const credSelect = 'id,appId,displayName,passwordCredentials,keyCredentials';
  const alt = await chain(`${base}?$select=${credSelect}&$expand=${ownersExpand}&$top=999`, token);
  const plain = await chain(`${base}?$select=${credSelect}&$top=999`, token);

  const appPages = graph.filter((u) => u.includes('/v1.0/applications')).length;
  const ownedPages = graph.filter((u) => u.includes('/v1.0/me/ownedObjects')).length;
  return {
    graphRequests: graph.length,
    appPages,
    ownedPages,
    toTableMs: rendered - start,
    fetchMs: loaded - start,
    networkMs,
    renderMs: rendered - loaded,
    chipFilterMs: chipEnd - chipStart,
    searchFilterMs: searchEnd - searchStart,
    ownersRequests: owners.length,
    ownersPages: owners.filter((u) => !u.endsWith('/$batch')).length,
    ownersBatches: owners.filter((u) => u.endsWith('/$batch')).length,
    ownersMs: ownersLoaded - rendered,
    altExpandRequests: alt.requests,
    altExpandMs: alt.ms,
    altPlainRequests: plain.requests,
    altPlainMs: plain.ms,
    rowsDrawn: rows,
    showing,
  };
}

async function main() {
  const browser = await launch();
  const runs = [];
  try {
    const context = await browser.newContext({ baseURL: APP });
    const page = await context.newPage();
    await page.goto(`${APP}/`);
    await signIn({ page, context, sandboxUrl: SANDBOX, timeout: 30_000 }, 'ada');
    for (let i = 0; i < RUNS; i += 1) {
      const r = await oneRun(page, i === 0);
      runs.push(r);
      console.log(`run ${i + 1}/${RUNS}: ${r.graphRequests} Graph requests, table in ${r.toTableMs.toFixed(0)} ms ` +
        `(fetch ${r.fetchMs.toFixed(0)}, of which network ${r.networkMs.toFixed(0)}, render ${r.renderMs.toFixed(0)}), chip ${r.chipFilterMs.toFixed(1)} ms, ` +
        `search ${r.searchFilterMs.toFixed(1)} ms; owners ${r.ownersRequests} requests ` +
        `(${r.ownersPages} pages, ${r.ownersBatches} batches) in ${r.ownersMs.toFixed(0)} ms after the table; ` +
        `one $expand chain ${r.altExpandRequests} requests ${r.altExpandMs.toFixed(0)} ms vs ${r.altPlainRequests} requests ` +
        `${r.altPlainMs.toFixed(0)} ms without; ${r.showing}`);
    }
  } finally {
    await browser.close();
  }
  const keys = ['graphRequests', 'appPages', 'ownedPages', 'toTableMs', 'fetchMs', 'networkMs', 'renderMs', 'chipFilterMs', 'searchFilterMs',
    'ownersRequests', 'ownersPages', 'ownersBatches', 'ownersMs', 'altExpandRequests', 'altExpandMs', 'altPlainRequests', 'altPlainMs'];
  const summary = Object.fromEntries(keys.map((k) => [k, {
    median: median(runs.map((r) => r[k])),
    min: Math.min(...runs.map((r) => r[k])),
    max: Math.max(...runs.map((r) => r[k])),
  }]));
  console.log(`BENCH-RESULT ${JSON.stringify({ runs: runs.length, showing: runs[0]?.showing ?? '', summary })}`);
}

main().catch((e) => {
  console.error(e.stack ?? String(e));
  process.exitCode = 1;
});
