// `cargo xtask bench` (or `cargo xtask bench renew` alone), the browser part of "Renew many at
// once": 200 secrets renewed in one run, against the sandbox's demo seed plus the test hook
// `POST /_sandbox/renewals` (200 apps, each with one secret ending in 20 days and its vault copy
// in kv-contoso-dev, tagged as secret-wizard tags it).
//
// Signs in once as Ada Admin. Each scenario: reset the sandbox, call the hook, arm the
// scenario's faults (POST /_sandbox/faults), reload, open the Expiry overview, "Find vault copies
// to renew", keep the 30-day window, tick exactly the hook's 200 secrets, "Renew 200 secrets",
// wait for the finished phase. Requests are counted with page.on('request') from the click on
// #renew-start to the finished phase (the find is counted apart); answers with
// page.on('response') and lost answers with page.on('requestfailed'); what the sandbox really ran
// from its audit log (`directoryAudits` in /_sandbox/state). Times are taken in node
// around the click and the wait (Playwright polls the DOM, so they include a few ms of that).
// Then the sandbox's state is checked: for every hook app exactly the old secret K and one new
// one, whose description starts with `Renews {K} `; its vault secret exactly 2 versions, the
// latest holding the new secret's value with CredentialId = the new keyId and
// ReplacesCredentialId = K; the report on screen says 200 renewed; every armed fault was hit;
// nothing outside the hook's apps and secrets changed.
// A screenshot of the panel at the end of each scenario goes to tests/e2e/artifacts/.
// Prints `BENCH-RESULT {json}`; exits 0 even when an invariant fails (xtask decides), non-zero
// only when the run itself could not be done.
//
// Env: E2E_APP_URL, E2E_SANDBOX_URL, CHROMIUM, BENCH_RENEW_COUNT (default 200),
// BENCH_RENEW_SCENARIOS (comma-separated names: clean, 429 and 5xx, lost answers, all six faults,
// concentrated; default all but concentrated).
import { APP, launch, SANDBOX } from './lib/browser.mjs';
import { sandboxClient, signIn } from './lib/harness.mjs';

const COUNT = Math.max(1, Number(process.env.BENCH_RENEW_COUNT ?? 200));
const RUN_TIMEOUT_MS = 15 * 60_000;
const sandbox = sandboxClient(SANDBOX);

// The faults of the brief: 429 ×5 and 500 ×2 on addPassword, 503 ×5 and 502 ×2 on the vault PUT
// (status injections: the handler is not run), and a lost answer ×2 on each (dropAfterAction: the
// handler runs, the connection is closed). In the scenarios run by default each fault is armed on
// its own secret (its app's addPassword path, or its vault secret's path), spread over the run
// (the items run 4 at a time in list order), so no item meets more than one: the figures then
// show how each kind is handled. "concentrated" (only when named in BENCH_RENEW_SCENARIOS) arms
// the same faults on any path, so the first requests of the run take them all and one item can
// meet several: the app gives an item up after MAX_LOST (3) lost addPassword answers
// (src/overview/renew/item.rs), which this scenario then reports as a skip.
const GROUPS = {
  addThrottled: { what: '429 on addPassword (Retry-After 1)', on: 'add', items: [10, 30, 50, 70, 90], fault: { status: 429, headers: { 'Retry-After': '1' } } },
  add500: { what: '500 on addPassword (handler not run)', on: 'add', items: [110, 130], fault: { status: 500 } },
  put503: { what: '503 on the vault PUT', on: 'put', items: [20, 40, 60, 80, 100], fault: { status: 503 } },
  put502: { what: '502 on the vault PUT (handler not run)', on: 'put', items: [120, 140], fault: { status: 502 } },
  addLost: { what: 'addPassword done, answer lost', on: 'add', items: [150, 170], fault: { dropAfterAction: true } },
  putLost: { what: 'vault PUT stored, answer lost', on: 'put', items: [160, 190], fault: { dropAfterAction: true } },
};
const STATUS = ['addThrottled', 'add500', 'put503', 'put502'];
const LOST = ['addLost', 'putLost'];
const SCENARIOS = [
  { name: 'clean', groups: [] },
  { name: '429 and 5xx', groups: STATUS },
  { name: 'lost answers', groups: LOST },
  { name: 'all six faults', groups: [...STATUS, ...LOST] },
  { name: 'concentrated', groups: [...STATUS, ...LOST], concentrated: true, optional: true },
];

/** The faults to arm for a scenario, given the hook's apps (in list order). */
function faultsOf(spec, hook) {
  const out = [];
  for (const g of spec.groups.map((k) => GROUPS[k])) {
    const method = g.on === 'add' ? 'POST' : 'PUT';
    if (spec.concentrated) {
      const path = g.on === 'add' ? '/graph/v1.0/**/addPassword' : '/arm/**/vaults/kv-contoso-dev/secrets/*';
      out.push({ method, path, count: g.items.length, ...g.fault });
      continue;
    }
    for (const i of g.items) {
      const h = hook[Math.min(hook.length, Math.max(1, Math.round((i * hook.length) / 200))) - 1];
      const path = g.on === 'add'
        ? `/graph/v1.0/applications/${h.id}/addPassword`
        : `/arm/**/vaults/kv-contoso-dev/secrets/${h.vaultSecret}`;
      out.push({ method, path, count: 1, ...g.fault });
    }
  }
  return out;
}

/** The scenario's faults in words. */
function describeFaults(spec) {
  return spec.groups.map((k) => GROUPS[k]).map((g) => `${g.what} ×${g.items.length}${spec.concentrated ? ' (on the first such requests)'
    : ` (one a secret: nos. ${g.items.join(', ')})`}`);
}

const path = (url) => new URL(url).pathname;
const KINDS = {
  addPassword: (m, p) => m === 'POST' && /^\/graph\/v1\.0\/applications.*\/addPassword$/.test(p),
  removePassword: (m, p) => m === 'POST' && /^\/graph\/v1\.0\/applications.*\/removePassword$/.test(p),
  vaultPut: (m, p) => m === 'PUT' && isVaultSecret(p),
  vaultGet: (m, p) => m === 'GET' && isVaultSecret(p),
  appGet: (m, p) => m === 'GET' && /^\/graph\/v1\.0\/applications(\/[^/]+|\(appId='[^']*'\))$/.test(p),
};
/** One vault secret (not a list, not a version) through ARM or the data plane. */
function isVaultSecret(p) {
  return /^\/arm\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+\/secrets\/[^/]+$/i.test(p)
    || /^\/kv\/[^/]+\/secrets\/[^/]+$/.test(p);
}
const kindOf = (req) => {
  const m = req.method();
  const p = decodeURIComponent(path(req.url()));
  return Object.keys(KINDS).find((k) => KINDS[k](m, p)) ?? 'other';
};

/** Counts the page's requests to the sandbox (CORS preflights apart) while `on`. */
function counter(page) {
  const c = { on: false, sent: {}, ok: {}, failedStatus: {}, lost: {}, total: 0, other: [] };
  const bump = (o, k) => { o[k] = (o[k] ?? 0) + 1; };
  page.on('request', (req) => {
    if (!c.on || !req.url().startsWith(SANDBOX) || req.method() === 'OPTIONS') return;
    const kind = kindOf(req);
    bump(c.sent, kind);
    c.total += 1;
    if (kind === 'other') c.other.push(`${req.method()} ${path(req.url())}`);
  });
  page.on('response', (res) => {
    const req = res.request();
    if (!c.on || !req.url().startsWith(SANDBOX) || req.method() === 'OPTIONS') return;
    const kind = kindOf(req);
    if (res.status() >= 200 && res.status() < 300) bump(c.ok, kind);
    else bump(c.failedStatus, `${kind} ${res.status()}`);
  });
  page.on('requestfailed', (req) => {
    if (!c.on || !req.url().startsWith(SANDBOX) || req.method() === 'OPTIONS') return;
    bump(c.lost, kindOf(req));
  });
  return c;
}

function reset(c) {
  Object.assign(c, { sent: {}, ok: {}, failedStatus: {}, lost: {}, total: 0, other: [] });
}

/** A summary of the "other" requests: method and path with IDs and names folded. */
function otherSummary(list) {
  const folded = {};
  for (const r of list) {
    const k = r
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{id}')
      .replace(/\/secrets\/[^/]+/, '/secrets/{name}');
    folded[k] = (folded[k] ?? 0) + 1;
  }
  return folded;
}

async function openRenewPanel(page) {
  await page.reload();
  await page.getByRole('button', { name: 'Expiry overview' }).waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Expiry overview' }).click();
  await page.locator('table.ov-table tbody tr').first().waitFor({ timeout: 60_000 });
  // The owners chain runs once the table is drawn: let it end, so the find counts only itself.
  await page.waitForFunction(() => performance.getEntriesByName('overview-owners-loaded', 'mark').length > 0,
    null, { timeout: 60_000 });
  await page.locator('#ov-renew').waitFor({ timeout: 60_000 });
  await page.locator('#renew-find').waitFor({ timeout: 60_000 });
}

/** Ticks exactly the `keys` rows; returns what the table offered. */
async function pickExactly(page, keys) {
  const rows = await page.locator('#renew-candidates tr[data-key-id]').evaluateAll((trs) => trs.map((tr) => ({
    key: tr.getAttribute('data-key-id'),
    checked: tr.querySelector('input.renew-pick')?.checked ?? null,
  })));
  const offered = new Set(rows.map((r) => r.key.toLowerCase()));
  const missing = [...keys].filter((k) => !offered.has(k));
  if (missing.length) throw new Error(`${missing.length} hook secrets not offered, e.g. ${missing[0]}`);
  let unticked = 0;
  for (const r of rows) {
    const want = keys.has(r.key.toLowerCase());
    if (r.checked === null) throw new Error(`row ${r.key} has no input.renew-pick`);
    if (r.checked !== want) {
      await page.locator(`#renew-candidates tr[data-key-id="${r.key}"] input.renew-pick`).setChecked(want);
      if (!want) unticked += 1;
    }
  }
  const picked = await page.locator('#renew-candidates tr[data-key-id] input.renew-pick:checked').count();
  if (picked !== keys.size) throw new Error(`${picked} ticked, expected ${keys.size}`);
  return { offered: rows.length, unticked };
}

/** Per hook app and vault secret, what the sandbox holds now; and the invariants. */
function checkState(state, hook, before) {
  const apps = new Map(state.applications.map((a) => [a.id, a]));
  const vault = state.vaults.vaults.find((v) => v.name === 'kv-contoso-dev');
  const secrets = new Map(vault.secrets.map((s) => [s.name, s]));
  const bad = { credentials: [], description: [], value: [], versions: [], tags: [] };
  let kept = 0;
  let versionsWritten = 0;
  for (const h of hook) {
    const app = apps.get(h.id);
    const creds = app?.passwordCredentials ?? [];
    const old = creds.find((c) => c.keyId === h.keyId);
    const added = creds.filter((c) => c.keyId !== h.keyId);
    kept += added.length;
    if (!old || added.length !== 1) bad.credentials.push(`${h.displayName}: ${creds.length} credentials${old ? '' : ', the old one gone'}`);
    const fresh = added[0];
    if (fresh && !(fresh.displayName ?? '').startsWith(`Renews ${h.keyId} `)) bad.description.push(`${h.displayName}: ${fresh.displayName}`);
    const secret = secrets.get(h.vaultSecret);
    const versions = secret?.versions ?? [];
    versionsWritten += Math.max(0, versions.length - 1);
    if (versions.length !== 2) bad.versions.push(`${h.vaultSecret}: ${versions.length} versions`);
    const latest = versions.at(-1);
    if (fresh && latest && versions.length === 2) {
      if (latest.tags.CredentialId !== fresh.keyId || latest.tags.ReplacesCredentialId !== h.keyId) {
        bad.tags.push(`${h.vaultSecret}: CredentialId ${latest.tags.CredentialId}, ReplacesCredentialId ${latest.tags.ReplacesCredentialId}`);
      }
      const end = Math.floor(Date.parse(fresh.endDateTime) / 1000);
      if (latest.value !== fresh.secretText || latest.attributes.exp !== end) bad.value.push(`${h.vaultSecret}: value or exp is not the new secret's`);
    }
  }
  // Nothing else changed: every other app's credentials and every other secret's versions.
  const hookIds = new Set(hook.map((h) => h.id));
  const hookSecrets = new Set(hook.map((h) => h.vaultSecret));
  const others = (s) => JSON.stringify([
    s.applications.filter((a) => !hookIds.has(a.id)).map((a) => [a.id, a.passwordCredentials.map((c) => c.keyId)]),
    s.vaults.vaults.map((v) => [v.name, v.secrets.filter((x) => !hookSecrets.has(x.name)).map((x) => [x.name, x.versions.length])]),
  ]);
  // What addPassword and removePassword really ran on the hook's apps: the audit log (a request
  // the browser resent after a cut connection shows up here, not in page.on('request')).
  const audit = (state.directoryAudits ?? []).filter((e) => hookIds.has(e.targetId))
    .map((e) => e.modifiedProperties?.[0] ?? {});
  const created = audit.filter((m) => m.oldValue === '[]').length;
  const removed = audit.filter((m) => m.newValue === '[]').length;
  return { kept, versionsWritten, created, removed, bad, othersUnchanged: others(state) === others(before) };
}

async function scenario(page, c, spec) {
  await sandbox.reset();
  const hook = (await (await fetch(`${SANDBOX}/_sandbox/renewals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count: COUNT }),
  })).json()).apps;
  if (hook?.length !== COUNT) throw new Error(`the hook gave ${hook?.length} apps`);
  const keys = new Set(hook.map((h) => h.keyId.toLowerCase()));
  const before = await sandbox.state();

  await openRenewPanel(page);
  reset(c);
  c.on = true;
  let t0 = performance.now();
  await page.locator('#renew-find').click();
  await page.locator('#ov-renew[data-phase="ready"]').waitFor({ timeout: 120_000 });
  const findMs = performance.now() - t0;
  c.on = false;
  const find = { requests: c.total, ms: findMs };

  const windowValue = await page.locator('#renew-window').inputValue();
  if (windowValue !== '30') throw new Error(`the window is ${windowValue}, expected the default 30`);
  const picked = await pickExactly(page, keys);
  const startLabel = (await page.locator('#renew-start').innerText()).trim();

  // Faults armed after the find: they are meant for the renewals.
  const faults = faultsOf(spec, hook);
  for (const f of faults) await sandbox.fault(f);
  reset(c);
  c.on = true;
  t0 = performance.now();
  await page.locator('#renew-start').click();
  await page.locator('#ov-renew[data-phase="finished"], #ov-renew[data-phase="paused"]')
    .waitFor({ timeout: RUN_TIMEOUT_MS });
  const runMs = performance.now() - t0;
  // Let answers still in flight (none expected) be counted.
  await page.waitForTimeout(200);
  c.on = false;
  const phase = await page.locator('#ov-renew').getAttribute('data-phase');
  const shot = `tests/e2e/artifacts/bench-renew-${spec.name.replace(/[^a-z0-9]+/gi, '-')}.png`;
  await page.locator('#ov-renew').screenshot({ path: shot }).catch(() => {});
  const counts = (await page.locator('#renew-counts').innerText().catch(() => '')).trim();

  const report = {};
  for (const r of ['renewed', 'earlier', 'skipped', 'cancelled']) {
    report[r] = await page.locator(`#renew-report tr[data-result="${r}"]`).count();
  }
  const remaining = await (await fetch(`${SANDBOX}/_sandbox/faults`)).json();
  await sandbox.clearFaults();
  const state = await sandbox.state();
  const s = checkState(state, hook, before);

  const n = (o, k) => o[k] ?? 0;
  const armed = faults.reduce((total, f) => total + f.count, 0);
  const unused = remaining.reduce((total, f) => total + f.count, 0);
  const invariants = [
    ['the run finished', phase === 'finished', `phase ${phase}${counts ? ` (${counts})` : ''}`],
    [`the report says ${COUNT} renewed`, report.renewed === COUNT && report.skipped === 0 && report.cancelled === 0 && report.earlier === 0,
      `${report.renewed} renewed, ${report.earlier} earlier, ${report.skipped} skipped, ${report.cancelled} cancelled`],
    [`one new credential for each of the ${COUNT} (the old one kept)`, s.bad.credentials.length === 0 && s.kept === COUNT,
      s.bad.credentials.slice(0, 3).join('; ') || `${s.kept} new credentials`],
    ['each new description starts "Renews {K} "', s.bad.description.length === 0, s.bad.description.slice(0, 3).join('; ')],
    [`one new version for each of the ${COUNT} vault secrets`, s.bad.versions.length === 0 && s.versionsWritten === COUNT,
      s.bad.versions.slice(0, 3).join('; ') || `${s.versionsWritten} new versions`],
    ['its tags name the new secret and the one it replaces', s.bad.tags.length === 0, s.bad.tags.slice(0, 3).join('; ')],
    ['it holds the new secret\'s value and end', s.bad.value.length === 0, s.bad.value.slice(0, 3).join('; ')],
    ['every armed fault was hit', unused === 0, `${armed - unused} of ${armed}`],
    ['nothing else changed', s.othersUnchanged, ''],
  ].map(([name, pass, detail]) => ({ name, pass: Boolean(pass), detail }));

  return {
    name: spec.name,
    faults: describeFaults(spec),
    startLabel,
    offered: picked.offered,
    unticked: picked.unticked,
    find,
    runMs,
    perSecretMs: runMs / COUNT,
    addPassword: { sent: n(c.sent, 'addPassword'), ok: n(c.ok, 'addPassword'), lost: n(c.lost, 'addPassword'), run: s.created, kept: s.kept },
    removePassword: { sent: n(c.sent, 'removePassword'), ok: n(c.ok, 'removePassword'), run: s.removed },
    vaultPut: { sent: n(c.sent, 'vaultPut'), ok: n(c.ok, 'vaultPut'), lost: n(c.lost, 'vaultPut'), written: s.versionsWritten },
    vaultGet: n(c.sent, 'vaultGet'),
    appGet: n(c.sent, 'appGet'),
    other: n(c.sent, 'other'),
    otherKinds: otherSummary(c.other),
    total: c.total,
    statuses: c.failedStatus,
    report,
    invariants,
    pass: invariants.every((i) => i.pass),
  };
}

async function main() {
  const only = (process.env.BENCH_RENEW_SCENARIOS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const chosen = only.length ? SCENARIOS.filter((s) => only.includes(s.name)) : SCENARIOS.filter((s) => !s.optional);
  if (!chosen.length) throw new Error(`no scenario named ${only.join(', ')}`);
  const browser = await launch();
  const results = [];
  try {
    const context = await browser.newContext({ baseURL: APP });
    const page = await context.newPage();
    const c = counter(page);
    await sandbox.reset();
    await page.goto(`${APP}/`);
    await signIn({ page, context, sandboxUrl: SANDBOX, timeout: 30_000 }, 'ada');
    for (const spec of chosen) {
      const r = await scenario(page, c, spec);
      results.push(r);
      console.log(`${r.name}: ${r.pass ? 'PASS' : 'FAIL'} in ${(r.runMs / 1000).toFixed(1)} s; addPassword ${r.addPassword.sent} sent, ` +
        `${r.addPassword.ok} answered 2xx, ${r.addPassword.run} run by the sandbox, ${r.addPassword.kept} kept, ` +
        `${r.removePassword.run} removed; vault PUT ` +
        `${r.vaultPut.sent} sent, ${r.vaultPut.written} versions written; ${r.vaultGet} vault GETs, ${r.appGet} app GETs, ` +
        `${r.other} other; ${r.total} requests (find: ${r.find.requests} requests, ${r.find.ms.toFixed(0)} ms)`);
      for (const i of r.invariants.filter((x) => !x.pass)) console.log(`  FAIL ${i.name}: ${i.detail}`);
      if (Object.keys(r.statuses).length) console.log(`  non-2xx answers: ${JSON.stringify(r.statuses)}`);
      console.log(`  other requests: ${JSON.stringify(r.otherKinds)}`);
    }
  } finally {
    await browser.close();
  }
  console.log(`BENCH-RESULT ${JSON.stringify({ count: COUNT, scenarios: results, pass: results.every((r) => r.pass) })}`);
}

main().catch((e) => {
  console.error(e.stack ?? String(e));
  process.exitCode = 1;
});
