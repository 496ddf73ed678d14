// Sign-in as a real tenant answers it: one resource per request, the other services' tokens
// afterwards and silently, and a question in the app's own words before any second window.
import { chooseVault, openAppAs } from './lib/steps.mjs';
import { expectHttpErrors } from './lib/checks.mjs';

const OIDC = new Set(['openid', 'profile', 'offline_access', 'email']);

/** The resource a scope names (`https://management.azure.com/.default` → its URI; a bare name is Graph's). */
function resourceOf(scope) {
  const slash = scope.lastIndexOf('/');
  return slash < 0 ? 'https://graph.microsoft.com' : scope.slice(0, slash);
}

/** The scopes of every authorize request sent so far (popups included). */
function authorizeScopes(t) {
  return t.requests
    // The app's (MSAL's) requests; the sign-in page's own form post to authorize is the sandbox's.
    .filter((r) => r.method === 'GET' && new URL(r.url).pathname.endsWith('/oauth2/v2.0/authorize'))
    .map((r) => (new URL(r.url).searchParams.get('scope') ?? '').split(' ').filter(Boolean));
}

/** Each token request's form, parsed. */
function tokenForms(t) {
  return t.requests
    .filter((r) => r.method === 'POST' && new URL(r.url).pathname.endsWith('/oauth2/v2.0/token'))
    .map((r) => Object.fromEntries(new URLSearchParams(r.body ?? '')));
}

/** Counts the windows the test's pages open (the sign-in popup is one). */
function countWindows(t) {
  const opened = [];
  t.context.on('page', (p) => opened.push(p));
  return opened;
}

export const tests = [
  {
    name: 'sign-in asks for Graph alone, and the ARM token comes afterwards without a second window',
    async run(t) {
      const { page, expect } = t;
      const windows = countWindows(t);
      await openAppAs(t, 'dan', 'Payroll', 'Payroll API');
      await page.getByRole('button', { name: 'Create a new secret' }).click();
      await page.getByLabel('180 days').check();
      // The vault list comes from ARM.
      await chooseVault(t, 'kv-contoso-dev');

      const authorize = authorizeScopes(t);
      expect.equal(authorize.length, 1, 'one authorize request: the sign-in');
      for (const scopes of authorize) {
        const resources = new Set(scopes.filter((s) => !OIDC.has(s)).map(resourceOf));
        const hasDefault = scopes.some((s) => s.endsWith('/.default'));
        expect.ok(!(hasDefault && resources.size > 1), `a .default scope next to another resource's: ${scopes.join(' ')}`);
      }
      expect.ok(authorize[0].includes('https://graph.microsoft.com/.default'), `Graph's .default: ${authorize[0].join(' ')}`);
      const arm = tokenForms(t).filter((f) => (f.scope ?? '').includes('https://management.azure.com/'));
      expect.ok(arm.length >= 1, 'an ARM token was asked for');
      expect.ok(arm.every((f) => f.grant_type === 'refresh_token'), 'from the refresh token, silently');
      for (const f of tokenForms(t)) {
        const resources = new Set((f.scope ?? '').split(' ').filter((s) => s && !OIDC.has(s)).map(resourceOf));
        expect.ok(resources.size <= 1, `a token request names one resource: ${f.scope}`);
      }
      expect.equal(windows.length, 1, 'one window in all: the sign-in');
    },
  },
  {
    name: 'without consent for ARM the app says what it needs and why before any window, and says what to do when refused',
    async run(t) {
      const { page, expect } = t;
      await t.sandbox.consent({ arm: [] });
      // The refused refresh-token request is logged by the browser as a failed load.
      expectHttpErrors(t, 400);
      const windows = countWindows(t);
      await openAppAs(t, 'dan', 'Payroll', 'Payroll API');
      // Describe lists vaults from ARM at once, so the question comes as Describe opens.
      await page.getByRole('button', { name: 'Create a new secret' }).click();
      const dialog = page.getByRole('alertdialog');
      await expect.visible(dialog, { timeout: 15_000 });
      await expect.text(dialog, 'Permission needed for Azure Resource Manager');
      await expect.text(dialog, 'list your key vaults');
      expect.equal(windows.length, 1, 'nothing opened before the person says so');
      // Continue opens Entra's window from the click; here it can only say "Need admin approval".
      const popup = t.context.waitForEvent('page');
      await dialog.getByRole('button', { name: 'Continue' }).click();
      const approval = await popup;
      // The sandbox's sign-in page asks who, every time; then Entra's answer for a grant nobody made.
      await approval.getByRole('button', { name: /Dev Dan/ }).click();
      await expect.text(approval.locator('body'), 'AADSTS90094', { timeout: 15_000 });
      await approval.close();
      // With this site's COOP, MSAL can't see a window close; the page offers to stop waiting.
      await expect.text(dialog, 'Finish in the Microsoft window');
      await dialog.getByRole('button', { name: 'Stop waiting' }).click();
      // Back on the page: what to do, not "try again".
      await expect.text(page.getByRole('group', { name: 'Store in Key Vault' }), 'admin consent', { timeout: 15_000 });
      expect.equal(await page.getByRole('alertdialog').count(), 0, 'the question is gone');
      expect.equal(windows.length, 2, 'the sign-in window and the one the person asked for');
    },
  },
];
