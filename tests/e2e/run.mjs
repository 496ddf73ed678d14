// A tiny e2e runner, no framework: runs every tests/e2e/*.spec.mjs (each exports
// `tests = [{ name, run: async (t) => {…}, timeout?, permissions? }]`) in Debian's Chromium through
// playwright-core, one fresh browser context per test, the sandbox reset before each.
// A test fails on a thrown error, a page error or a console error (CSP violations land there).
// Ends with `E2E-SUMMARY {"passed":N,"failed":M}` for `cargo xtask test`, and exits non-zero on failure.
//
// Env: E2E_APP_URL (default http://127.0.0.1:8080), E2E_SANDBOX_URL (default http://127.0.0.1:8400),
// E2E_GREP (only tests whose "file › name" contains it), E2E_HEADED=1 (watch it run).
import { readdir, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { APP, launch, SANDBOX } from './lib/browser.mjs';
import { AssertionError, expect } from './lib/expect.mjs';
import { recordTraffic, sandboxClient, signIn } from './lib/harness.mjs';
import { assertNoLeak, hygieneChecks } from './lib/hygiene.mjs';
import { assertAxe } from './lib/axe.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const GREP = process.env.E2E_GREP ?? '';
const DEFAULT_TIMEOUT = 30_000;
/** sessionStorage key of the demo's tour (src/components/tour.rs `TOUR_KEY`). */
const TOUR_KEY = 'secret-wizard.tour';
const ARTIFACTS = path.join(here, 'artifacts');

async function loadTests() {
  const files = (await readdir(here)).filter((f) => f.endsWith('.spec.mjs')).sort();
  const all = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(here, file)).href);
    if (!Array.isArray(mod.tests)) throw new Error(`${file} does not export a \`tests\` array`);
    for (const test of mod.tests) {
      if (typeof test.name !== 'string' || typeof test.run !== 'function') {
        throw new Error(`${file}: every test needs a name and a run function`);
      }
      all.push({ ...test, id: `${file.replace(/\.spec\.mjs$/, '')} › ${test.name}` });
    }
  }
  return all.filter((t) => t.id.includes(GREP));
}

/**
 * Watches every page of the context (popups too) for console errors and uncaught exceptions.
 * Only pages on the app's origin are judged: the sandbox's sign-in page stands in for
 * Microsoft's, whose console is not the app's. Its messages are still kept in `messages`.
 */
function watch(context) {
  const problems = [];
  const messages = [];
  const allowed = [];
  const ours = (page) => {
    try {
      return new URL(page.url()).origin === new URL(APP).origin;
    } catch {
      return false;
    }
  };
  const attach = (page) => {
    page.on('console', (msg) => {
      const where = msg.location()?.url ? ` (${msg.location().url})` : '';
      messages.push({ type: msg.type(), text: msg.text(), page: page.url() });
      if (msg.type() === 'error' && ours(page) && !allowed.some((re) => re.test(msg.text()))) {
        problems.push(`console error: ${msg.text()}${where}`);
      }
    });
    page.on('pageerror', (err) => {
      if (ours(page)) problems.push(`page error: ${err.message}`);
    });
  };
  context.on('page', attach);
  return { problems, messages, allowed, attach };
}

function sameOrigin(a, b) {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** An assertion reads best as its message and the spec line; anything else with its stack. */
function describeError(e) {
  if (!(e instanceof AssertionError)) return e.stack ?? String(e);
  const at = (e.stack ?? '').split('\n').find((l) => l.includes('.spec.mjs'));
  return `${e.message}${at ? `\n${at.trim()}` : ''}`;
}

async function runOne(browser, sandbox, test) {
  const context = await browser.newContext({ baseURL: APP });
  // Both clipboard permissions unless the test names its own (`permissions: ['clipboard-write']`
  // is a browser that won't let the page read the clipboard).
  await context.grantPermissions(test.permissions ?? ['clipboard-read', 'clipboard-write'], { origin: APP });
  const watcher = watch(context);
  // The demo's first-run tour (src/components/tour.rs) stays closed unless the test says `tour: true`.
  if (!test.tour) {
    await context.addInitScript(([origin, key]) => {
      if (location.origin === origin) sessionStorage.setItem(key, 'done');
    }, [new URL(APP).origin, TOUR_KEY]);
  }
  const traffic = recordTraffic(context);
  const page = await context.newPage();
  const t = {
    page,
    context,
    app: APP,
    sandbox,
    expect,
    /** Console messages seen so far ({type, text}), for checks of what was (not) logged. */
    console: watcher.messages,
    /** Lets a test expect a console error (e.g. the browser's own line for a 404). */
    allowConsoleError: (re) => watcher.allowed.push(re),
    /** Answers 404 to every request of this page matching `glob` (a file of the site gone
     *  missing), and expects the browser's console line about it. */
    notFound: async (glob) => {
      watcher.allowed.push(/^Failed to load resource: the server responded with a status of 404 /);
      await page.route(glob, (route) => route.fulfill({ status: 404, body: 'not found' }));
    },
    open: (p = '/') => page.goto(`${APP}${p}`),
    signIn: (who, opts) => signIn({ page, context, sandboxUrl: SANDBOX }, who, opts),
    /** Every request sent so far ({method, url, headers, body}), popups included. */
    requests: traffic.requests,
    /** Every URL a page's main frame showed so far. */
    navigations: traffic.navigations,
    traffic,
  };
  /** Fails if the secret value is anywhere but the allowed Key Vault write (lib/hygiene.mjs). */
  t.hygiene = (value, opts) => assertNoLeak(t, value, opts);
  /**
   * axe-core on the current screen (lib/axe.mjs): fails on a serious or critical violation.
   * Runs by itself after every passing test on its final screen, unless the test says `axe: false`.
   */
  t.axe = (label, opts) => assertAxe(page, label ?? `${test.id} (${page.url()})`, opts);
  let error;
  try {
    await sandbox.reset();
    await withTimeout(Promise.resolve().then(() => test.run(t)), test.timeout ?? DEFAULT_TIMEOUT, 'test');
    if (test.axe !== false && !page.isClosed() && sameOrigin(page.url(), APP)) {
      await withTimeout(t.axe(`the final screen of ${test.id} (${page.url()})`), 20_000, 'axe');
    }
  } catch (e) {
    error = e;
  }
  // Let late console errors (after the last step) surface before judging.
  await page.waitForTimeout(100).catch(() => {});
  const problems = [...(error ? [describeError(error)] : []), ...watcher.problems];
  if (problems.length) {
    const shot = path.join(ARTIFACTS, `${test.id.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
    const saved = await page.screenshot({ path: shot, fullPage: true }).then(() => shot, () => null);
    if (saved) problems.push(`screenshot: ${path.relative(process.cwd(), saved)}`);
  }
  await context.close().catch(() => {});
  return problems;
}

async function main() {
  const tests = await loadTests();
  // Screenshots of an earlier run would only mislead.
  await rm(ARTIFACTS, { recursive: true, force: true });
  await mkdir(ARTIFACTS, { recursive: true });
  const sandbox = sandboxClient(SANDBOX);
  const browser = await launch({ headless: process.env.E2E_HEADED !== '1' });
  let passed = 0;
  let failed = 0;
  const started = Date.now();
  try {
    for (const test of tests) {
      const t0 = Date.now();
      const problems = await runOne(browser, sandbox, test);
      const took = `${((Date.now() - t0) / 1000).toFixed(1)}s`;
      if (problems.length === 0) {
        passed += 1;
        console.log(`ok    ${test.id} (${took})`);
      } else {
        failed += 1;
        console.log(`FAIL  ${test.id} (${took})`);
        for (const p of problems) console.log(`      ${p.replace(/\n/g, '\n      ')}`);
      }
    }
  } finally {
    await browser.close();
  }
  if (tests.length === 0) {
    console.log(`no e2e tests${GREP ? ` match ${JSON.stringify(GREP)}` : ''}`);
    failed += 1;
  }
  console.log(`e2e: ${passed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  console.log(`hygiene: ${hygieneChecks()} secret-hygiene checks passed`);
  console.log(`E2E-SUMMARY ${JSON.stringify({ passed, failed })}`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(e.stack ?? String(e));
  console.log(`E2E-SUMMARY ${JSON.stringify({ passed: 0, failed: 1 })}`);
  process.exitCode = 1;
});
