import { chromium } from 'playwright-core';
import fs from 'node:fs';
const APP = 'http://127.0.0.1:8080';
const ARGS = ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync','--disable-dev-shm-usage'];
function watchSignIn() {
  const look = () => {
    if (window.__perfSignInAt !== undefined) return;
    for (const b of document.querySelectorAll('button')) {
      if (b.textContent.trim() === 'Sign in' && !b.disabled) { window.__perfSignInAt = performance.now(); observer.disconnect(); console.debug('perf:sign-in-ready'); return; }
    }
  };
  const observer = new MutationObserver(look);
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
}
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
const runs = Number(process.env.RUNS ?? 3);
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  await context.addInitScript(watchSignIn);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await browser.startTracing(page, { path: `/tmp/trace${i}.json`, categories: ['devtools.timeline','v8','v8.wasm','disabled-by-default-devtools.timeline','blink.user_timing','loading','navigation','disabled-by-default-v8.compile'] });
  const ready = page.waitForEvent('console', { predicate: (m) => m.text() === 'perf:sign-in-ready', timeout: 30000 });
  await page.goto(`${APP}/`, { waitUntil: 'load' });
  await ready;
  await page.waitForTimeout(200);
  const t = await page.evaluate(() => ({ signIn: window.__perfSignInAt, origin: performance.timeOrigin,
     marks: performance.getEntriesByType('mark').map(m => [m.name, Math.round(m.startTime)]),
     res: performance.getEntriesByType('resource').map(e => [new URL(e.name).pathname, Math.round(e.startTime), Math.round(e.responseEnd)]) }));
  await browser.stopTracing();
  fs.writeFileSync(`/tmp/trace${i}.meta.json`, JSON.stringify(t));
  console.log(i, t.signIn.toFixed(0), JSON.stringify(t.res), JSON.stringify(t.marks));
  await context.close();
}
await browser.close();
