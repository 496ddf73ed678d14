// Where the app and the sandbox are served, and how Chromium is started: one place for the e2e
// runner (run.mjs) and the benchmarks (perf.mjs, bench_overview.mjs).
// Env: E2E_APP_URL (default http://127.0.0.1:8080), E2E_SANDBOX_URL (default
// http://127.0.0.1:8400), CHROMIUM (default Debian's /usr/bin/chromium).
import { chromium } from 'playwright-core';

export const APP = (process.env.E2E_APP_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
export const SANDBOX = (process.env.E2E_SANDBOX_URL ?? 'http://127.0.0.1:8400').replace(/\/$/, '');

const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** Starts Chromium, headless unless `headless` is false. */
export function launch({ headless = true } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless,
    args: ARGS,
  });
}
