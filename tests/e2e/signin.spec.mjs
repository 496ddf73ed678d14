// Signing in and out through the sandbox's sign-in page, with the real MSAL.js in the app.
import { signedIn } from './lib/steps.mjs';

export const tests = [
  {
    name: 'Dev Dan signs in, sees his name and his apps, and signs out',
    async run(t) {
      const { page, expect } = t;
      await t.open('/');
      await expect.visible(page.getByRole('button', { name: 'Sign in', exact: true }));
      await t.signIn('dan');
      // The name comes from the sandbox's token, not from anything the app was told.
      await expect.visible(page.getByText('Dev Dan').first());
      await expect.visible(page.getByText('Payroll API').first());
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect.visible(page.getByRole('button', { name: 'Sign in', exact: true }), { timeout: 15_000 });
      await expect.hidden(page.getByText('Payroll API'));
    },
  },
  {
    name: 'the signed-out page loads only the boot module; the full app arrives after sign-in and on every later load',
    async run(t) {
      const { page, expect } = t;
      const appModule = [];
      const configReads = [];
      page.on('request', (r) => {
        const path = new URL(r.url()).pathname;
        if (path.startsWith('/app/')) appModule.push(path);
        if (path === '/config.json') configReads.push(r.headers());
      });
      await t.open('/');
      await expect.visible(page.getByRole('button', { name: 'Sign in', exact: true }));
      await page.waitForTimeout(300);
      t.expect.equal(appModule.length, 0, 'nothing of the full app before sign-in');
      // index.html's config-prefetch.js asks once; the boot module takes that answer.
      t.expect.equal(configReads.length, 1, 'config.json is read once before sign-in');
      t.expect.ok(!configReads[0].referer, 'without a referrer');
      // A first visit says nothing on the console: no warnings (e.g. about an ignored preload
      // integrity, which the build removes), no errors.
      const noisy = t.console.filter((m) => m.type === 'warning' || m.type === 'error');
      t.expect.equal(noisy.length, 0, `console: ${JSON.stringify(noisy)}`);
      const order = [];
      page.on('request', (r) => order.push(new URL(r.url()).pathname));
      await t.signIn('dan');
      await expect.visible(page.getByText('Payroll API').first());
      t.expect.ok(appModule.some((p) => /^\/app\/secret-wizard-[0-9a-f]{16}_bg\.wasm$/.test(p)), `full app loaded (${appModule.join(', ')})`);
      // It was fetched while the user signed in: before the page redeemed the sign-in for tokens.
      const wasmAt = order.findIndex((p) => p.startsWith('/app/') && p.endsWith('_bg.wasm'));
      const tokenAt = order.findIndex((p) => p.endsWith('/oauth2/v2.0/token'));
      t.expect.ok(wasmAt >= 0 && tokenAt > wasmAt, `the full app before the token request (${order.join(', ')})`);
      t.expect.equal(appModule.filter((p) => p.endsWith('_bg.wasm')).length, 1, 'and fetched once');
      // A reload while signed in goes straight to the full app (MSAL's session cache).
      appModule.length = 0;
      await page.reload();
      await expect.visible(page.getByRole('button', { name: 'Sign out' }), { timeout: 15_000 });
      await expect.visible(page.getByText('Payroll API').first());
      t.expect.ok(appModule.length >= 2, 'the full app again after the reload');
    },
  },
  {
    name: 'a fresh tab offers Sign in before MSAL has started, and a click that early still signs in',
    async run(t) {
      const { page, expect } = t;
      // MSAL's script arrives 1.5 s late: the signed-out page does not wait for it.
      let release;
      const held = new Promise((resolve) => { release = resolve; });
      await page.route('**/msal-browser.min.js', async (route) => {
        await held;
        await route.continue();
      });
      // (Not t.open: the page's load event waits for the held script.)
      await page.goto('/', { waitUntil: 'domcontentloaded' });
      const button = page.getByRole('button', { name: 'Sign in', exact: true });
      await expect.visible(button);
      t.expect.equal(await button.isEnabled(), true, 'Sign in is enabled at once');
      t.expect.equal(await page.evaluate(() => typeof window.msal), 'undefined', 'MSAL has not loaded yet');
      // The click waits for MSAL, then opens the sign-in window; nothing is lost, and the page
      // says what it is waiting for (not yet "the window that opened").
      setTimeout(release, 1_500);
      const signingIn = t.signIn('dan');
      await expect.text(page.getByRole('status').filter({ hasText: 'sign-in' }), 'Preparing sign-in…');
      await signingIn;
      await expect.visible(page.getByText('Payroll API').first());
    },
  },
  {
    name: 'a signed-out tab reloads straight to Sign in, without waiting for MSAL',
    async run(t) {
      const { page, expect } = t;
      await signedIn(t, 'dan');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect.visible(page.getByRole('button', { name: 'Sign in', exact: true }), { timeout: 15_000 });
      // Sign-out finishes in a popup; until it has, MSAL's interaction is rightly still pending.
      await page.waitForFunction(
        () => Object.keys(sessionStorage).filter((k) => k.startsWith('msal.')).join() === 'msal.version',
        null,
        { timeout: 15_000 },
      );
      // ... and its window closes (adding an init script while it closes fails in Playwright).
      for (let i = 0; i < 150 && t.context.pages().length > 1; i += 1) await page.waitForTimeout(100);
      t.expect.equal(t.context.pages().length, 1, 'the sign-out window has closed');
      await t.context.addInitScript(() => {
        window.__sawPreparing = false;
        new MutationObserver(() => {
          if ((document.body?.textContent ?? '').includes('Preparing sign-in')) window.__sawPreparing = true;
        }).observe(document, { childList: true, subtree: true, characterData: true });
      });
      // MSAL has been here (it leaves its version stamp), but nobody is signed in.
      await page.reload();
      await expect.visible(page.getByRole('button', { name: 'Sign in', exact: true }));
      t.expect.equal(await page.evaluate(() => window.__sawPreparing), false, 'no "Preparing sign-in…" on the way');
    },
  },
  {
    name: 'a signed-in tab reloads straight to the app, never showing the signed-out page on the way',
    async run(t) {
      const { page, expect } = t;
      await signedIn(t, 'dan');
      await expect.visible(page.getByText('Payroll API').first());
      await t.context.addInitScript(() => {
        window.__sawSignIn = false;
        new MutationObserver(() => {
          for (const b of document.querySelectorAll('button')) {
            if (b.textContent.trim() === 'Sign in') window.__sawSignIn = true;
          }
        }).observe(document, { childList: true, subtree: true });
      });
      await page.reload();
      await expect.visible(page.getByText('Payroll API').first(), { timeout: 15_000 });
      t.expect.equal(await page.evaluate(() => window.__sawSignIn), false, 'no Sign in button during the reload');
    },
  },
  {
    name: 'when the full app cannot be loaded after sign-in, the page says so instead of going blank',
    async run(t) {
      const { page, expect } = t;
      t.allowConsoleError(/Failed to fetch dynamically imported module/);
      await t.notFound('**/app/**');
      await t.open('/');
      await t.signIn('dan', { waitSignedIn: false });
      await expect.text(page.locator('.error-panel'), "secret-wizard didn't load", { timeout: 15_000 });
      await expect.visible(page.getByText('Reload the page to try again.'));
    },
  },
  {
    name: 'when the full app\'s wasm fails after its script loaded, the page says so too',
    async run(t) {
      const { page, expect } = t;
      await t.notFound('**/app/*_bg.wasm');
      await t.open('/');
      await t.signIn('dan', { waitSignedIn: false });
      await expect.text(page.getByRole('alert'), "secret-wizard didn't load", { timeout: 15_000 });
      await expect.hidden(page.getByText('Opening secret-wizard…'));
    },
  },
];
