// Where the real services differ from a friendly reading of their docs (issue 12, part 4), as the
// user meets them: a 429 whose Retry-After the browser cannot read, and the per-tenant throttling
// of application lists that select keyCredentials.
import { allowLoadErrors } from './faults_graph.spec.mjs';

const GRAPH_ERROR = (code, message) => ({ error: { code, message, innerError: { date: new Date().toISOString() } } });
const APPS = '/graph/v1.0/applications';

/** The app-list requests (GET /applications) the page sent so far. */
const lists = (t) => t.requests.filter((r) => r.method === 'GET' && new URL(r.url).pathname === APPS);

/** The `$select` of a request, as a list of property names. */
const selectOf = (r) => (new URL(r.url).searchParams.get('$select') ?? '').split(',').filter(Boolean);

/** Signs Dan in and waits for the first (unfiltered) app list. */
async function signedInWithList(t) {
  await t.open('/');
  await t.signIn('dan');
  await t.expect.visible(t.page.getByRole('button', { name: 'Onboarding Portal', exact: true }));
}

export const tests = [
  {
    name: 'a Graph 429 whose Retry-After the browser cannot read: backed off, then the list',
    timeout: 45_000,
    async run(t) {
      const { page, expect } = t;
      allowLoadErrors(t);
      await signedInWithList(t);
      // As Graph answers: Retry-After on the wire, not in Access-Control-Expose-Headers
      // (microsoft-graph-docs-contrib #2011, #17488), so the page backs off by itself.
      await t.sandbox.fault({
        method: 'GET', path: APPS, status: 429, headers: { 'Retry-After': '30' },
        body: GRAPH_ERROR('TooManyRequests', 'Please retry again later.'),
      });
      const before = lists(t).length;
      await page.getByLabel('App name or Application (client) ID').fill('Payroll');
      // The first backoff is between 0.5 and 1 s, shown rounded up; not the unreadable 30 s.
      await expect.text(page.getByRole('status').filter({ hasText: 'retrying' }), 'Microsoft Graph is busy; retrying in 1 s');
      await expect.visible(page.getByRole('button', { name: 'Payroll API', exact: true }), { timeout: 10_000 });
      await expect.hidden(page.getByRole('button', { name: 'Onboarding Portal', exact: true }));
      expect.equal(lists(t).length - before, 2, 'the throttled search was sent once more, and only once');
    },
  },
];
