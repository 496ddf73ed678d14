import { chromium } from 'playwright-core';
const APP = process.env.APP ?? 'http://127.0.0.1:8080';
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
const runs = Number(process.env.RUNS ?? 20);
const xs = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  await context.addInitScript(watchSignIn);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const ready = page.waitForEvent('console', { predicate: (m) => m.text() === 'perf:sign-in-ready', timeout: 30000 });
  await page.goto(`${APP}/`, { waitUntil: 'load' });
  await ready;
  const t = await page.evaluate(() => ({ s: window.__perfSignInAt, r: performance.getEntriesByType('resource').map(e => [new URL(e.name).pathname.slice(0,12), Math.round(e.startTime), Math.round(e.responseEnd)]) }));
  xs.push(t.s);
  if (process.env.V) console.log(t.s.toFixed(0), JSON.stringify(t.r));
  await context.close();
}
await browser.close();
xs.sort((a,b)=>a-b);
console.log(`median ${xs[Math.floor(xs.length/2)].toFixed(0)} min ${xs[0].toFixed(0)} p25 ${xs[Math.floor(xs.length/4)].toFixed(0)} p75 ${xs[Math.floor(xs.length*3/4)].toFixed(0)}`);
