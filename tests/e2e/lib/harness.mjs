// What a spec gets besides the page: the sandbox's test hooks and the persona sign-in.
import { expect } from './expect.mjs';

export const PERSONAS = {
  ada: { name: 'Ada Admin', upn: 'ada@contoso.example' },
  dan: { name: 'Dev Dan', upn: 'dan@contoso.example' },
  rita: { name: 'Rita Reader', upn: 'rita@contoso.example' },
  // Global Administrator, owns nothing.
  gina: { name: 'Gina Global', upn: 'gina@contoso.example' },
  // Custom role "Application Credential Rotator" through the role-assignable group "App Credential Rotators".
  rory: { name: 'Rory Rotator', upn: 'rory@contoso.example' },
  // Application Administrator for Inventory Service only.
  sam: { name: 'Sam Scoped', upn: 'sam@contoso.example' },
};

export function persona(who) {
  const key = String(who).toLowerCase();
  const found = PERSONAS[key] ?? Object.values(PERSONAS).find((p) => p.upn === key || p.name.toLowerCase() === key);
  if (!found) throw new Error(`unknown persona ${JSON.stringify(who)}; use one of ${Object.keys(PERSONAS).join(', ')}`);
  return found;
}

/** The sandbox's /_sandbox hooks (docs/contracts.md). */
export function sandboxClient(base) {
  async function call(method, path, body) {
    const res = await fetch(`${base}/_sandbox/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox ${method} /_sandbox/${path} answered ${res.status}: ${text.slice(0, 200)}`);
    return text ? JSON.parse(text) : null;
  }
  return {
    url: base,
    reset: () => call('POST', 'reset'),
    state: () => call('GET', 'state'),
    /** One fault, e.g. `{ method: 'POST', path: '/graph/v1.0/applications/*\/addPassword', status: 429 }`. */
    fault: (spec) => call('POST', 'faults', spec),
    clearFaults: () => call('DELETE', 'faults'),
    /** What the tenant consented to, per resource: `{ graph: [...], arm: [...], keyVault: [...] }`
     * (each given list replaces that resource's; reset restores the start-up consent). */
    consent: (change) => call('PUT', 'consent', change),
  };
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Signs in through the app's "Sign in" button and the sandbox's sign-in page, in a popup or in
 * the same tab (whichever the app uses), and waits until the app shows the person signed in
 * (unless `waitSignedIn` is false).
 */
export async function signIn({ page, context, sandboxUrl, timeout = 15_000 }, who, { waitSignedIn = true } = {}) {
  const p = persona(who);
  const popup = context.waitForEvent('page', { timeout }).then((pg) => ({ kind: 'popup', pg }));
  const sameTab = page
    .waitForURL((u) => u.href.startsWith(sandboxUrl), { timeout })
    .then(() => ({ kind: 'tab', pg: page }));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const { pg: signInPage } = await Promise.race([popup, sameTab]);
  popup.catch(() => {});
  sameTab.catch(() => {});
  await signInPage.waitForURL((u) => u.href.startsWith(sandboxUrl), { timeout });
  const button = signInPage.getByRole('button', { name: new RegExp(escape(p.name)) });
  await expect.visible(button, { timeout });
  await button.first().click();
  if (waitSignedIn) await expect.visible(page.getByRole('button', { name: 'Sign out' }), { timeout });
  return p;
}

/**
 * Records what every page of the context (popups too) sends and shows, for the secret-hygiene
 * checks (lib/hygiene.mjs): each request's method, URL, headers as sent (`allHeaders`, cookies
 * included) and body, and every URL a page's main frame showed (loads, redirects, and
 * `history.pushState`/`replaceState`, which Playwright reports as navigations too).
 * `settled()` waits until every request's full header list is known.
 */
export function recordTraffic(context) {
  const requests = [];
  const navigations = [];
  const pending = [];
  context.on('request', (request) => {
    let body = null;
    try {
      body = request.postDataBuffer()?.toString('utf8') ?? null;
    } catch {
      body = request.postData();
    }
    const entry = { method: request.method(), url: request.url(), headers: request.headers(), body };
    requests.push(entry);
    pending.push(
      request.allHeaders().then(
        (all) => {
          entry.headers = all;
        },
        () => {},
      ),
    );
  });
  context.on('page', (page) => {
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
  });
  const settled = async () => {
    // A request that never completes may never report its extra headers; don't wait forever.
    const limit = new Promise((resolve) => setTimeout(resolve, 2_000));
    await Promise.race([Promise.all(pending), limit]);
  };
  return { requests, navigations, settled };
}
