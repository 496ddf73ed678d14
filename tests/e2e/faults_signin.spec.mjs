// Fault suite, sign-in side: the browser blocks the sign-in popup. The app must continue with a
// redirect in the same tab, sign the user in, and the whole flow must still work and leave
// nothing behind. And MSAL's script fails to load: the page says so instead of a dead button.
import { copyFinishAndCheck, createWith, openApp, valueOnScreen } from './lib/steps.mjs';
import { keyIds } from './lib/records.mjs';

export const tests = [
  {
    name: 'a blocked sign-in popup falls back to a redirect in this tab; then a secret is made once',
    timeout: 60_000,
    async run(t) {
      const { page, context, expect } = t;
      // A popup blocker: window.open gives nothing. Playwright's init scripts run before the
      // page's own scripts and are not subject to its CSP.
      await context.addInitScript(() => {
        window.open = () => null;
      });
      await t.open('/');
      const who = await t.signIn('dan');
      expect.equal(context.pages().length, 1, 'no window was opened');
      const sandbox = new URL(t.sandbox.url).origin;
      const authorize = t.navigations.findIndex((u) => u.startsWith(sandbox) && u.includes('/oauth2/v2.0/authorize'));
      expect.ok(authorize >= 0, `this tab went to the sign-in page (saw ${JSON.stringify(t.navigations)})`);
      expect.ok(
        t.navigations.slice(authorize + 1).some((u) => new URL(u).origin === new URL(t.app).origin),
        'and came back to the app',
      );
      await expect.visible(page.getByText(who.name).first());

      await openApp(t, 'Payroll', 'Payroll API');
      const before = await keyIds(t, 'Payroll API');
      await createWith(t, '90 days');
      const { value } = await valueOnScreen(t, 'Payroll API');
      expect.equal((await keyIds(t, 'Payroll API')).length, before.length + 1, 'exactly one secret was created');
      await copyFinishAndCheck(t, value);
    },
  },
  {
    name: 'when MSAL\'s script cannot be loaded, the signed-out page turns into a plain explanation',
    async run(t) {
      const { page, expect } = t;
      await t.notFound('**/msal-browser.min.js');
      await t.open('/');
      await expect.text(page.locator('.error-panel'), "Sign-in isn't available", { timeout: 15_000 });
      await expect.visible(page.getByText("The sign-in library didn't load"));
      await expect.hidden(page.getByRole('button', { name: 'Sign in', exact: true }));
    },
  },
];
