// Where the real services differ from a friendly reading of their docs, as the
// user meets them: a 429 whose Retry-After the browser cannot read, and the per-tenant throttling
// of application lists that select keyCredentials.
import { createSecret, dataPlaneThroughGateway, finishStored, newSecret, openAppAs, openOverview, pickVault, readyToStore, signedIn, signedInWithList } from './lib/steps.mjs';
import { versions } from './lib/records.mjs';
import { allowLoadErrors, expectHttpErrors, expectOneNewVersion } from './lib/checks.mjs';

const GRAPH_ERROR = (code, message) => ({ error: { code, message, innerError: { date: new Date().toISOString() } } });
const APPS = '/graph/v1.0/applications';

/** The app-list requests (GET /applications) the page sent so far. */
const lists = (t) => t.requests.filter((r) => r.method === 'GET' && new URL(r.url).pathname === APPS);

/** The `$select` of a request, as a list of property names. */
const selectOf = (r) => (new URL(r.url).searchParams.get('$select') ?? '').split(',').filter(Boolean);

/**
 * Graph's per-tenant throttling of lists that select keyCredentials ("The use of `$select` to
 * get **keyCredentials** for applications has a throttling limit of 150 requests per minute for
 * every tenant.", ../shared/specs/graph-docs/application-list.md), for the next `count` such lists.
 */
const keyCredentialsThrottled = (count) => ({
  method: 'GET', path: APPS, selectIncludes: 'keyCredentials', count, status: 429,
  headers: { 'Retry-After': '60' },
  body: GRAPH_ERROR('TooManyRequests', 'Please retry again later.'),
});

export const tests = [
  {
    name: 'while an opened app is read again, its certificates are "being read", never "none"',
    async run(t) {
      const { page, expect } = t;
      // The app's own read (which carries certificates) is slow; the list it came from has none.
      await t.sandbox.fault({ method: 'GET', path: '/graph/v1.0/applications/*', latencyMs: 1500, count: 1 });
      await openAppAs(t, 'ada', 'Build Agent');
      await expect.visible(page.getByText('Reading certificates…'));
      expect.equal(await page.getByText('This app has no certificates.').count(), 0, 'not "none" while reading');
      await expect.hidden(page.getByText('Reading certificates…'), { timeout: 10_000 });
      expect.equal(await page.getByText('This app has no certificates.').count(), 0, 'Build Agent has one');
      await expect.visible(page.getByRole('heading', { name: 'Certificates' }));
    },
  },
  {
    name: 'a Graph 429 whose Retry-After the browser cannot read: backed off, then the list',
    timeout: 45_000,
    async run(t) {
      const { page, expect } = t;
      allowLoadErrors(t);
      await signedInWithList(t, 'dan', ['Onboarding Portal']);
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
  {
    name: 'search-as-you-type under keyCredentials list throttling still lists apps, and an opened app shows its certificates',
    timeout: 45_000,
    async run(t) {
      const { page, expect } = t;
      allowLoadErrors(t);
      await t.sandbox.fault(keyCredentialsThrottled(1000));
      await signedIn(t, 'ada');
      await expect.visible(page.getByRole('button', { name: 'Build Agent', exact: true }));
      const search = page.getByLabel('App name or Application (client) ID');
      for (const typed of ['B', 'Bu', 'Build', 'Build A']) {
        await search.fill(typed);
        await page.waitForTimeout(350); // past the 250 ms debounce, so each pause searches
      }
      await expect.visible(page.getByRole('button', { name: 'Build Agent', exact: true }));
      await expect.hidden(page.getByRole('button', { name: 'Payroll API', exact: true }));
      await expect.hidden(page.getByText('retrying in'));
      const sentLists = lists(t);
      expect.ok(sentLists.length >= 3, `a list per pause (${sentLists.length})`);
      for (const r of sentLists) {
        expect.ok(!selectOf(r).includes('keyCredentials'), `no keyCredentials in ${r.url}`);
        expect.ok(selectOf(r).includes('passwordCredentials'), `the list shows secrets: ${r.url}`);
      }
      // Opening the app reads it with its certificates (one GET by ID, not a list).
      await page.getByRole('button', { name: 'Build Agent', exact: true }).click();
      await expect.visible(page.getByRole('heading', { name: 'Certificates' }));
      await expect.hidden(page.getByText('This app has no certificates.'), { timeout: 10_000 });
      const opened = t.requests.filter((r) => r.method === 'GET' && /\/graph\/v1\.0\/applications\/[^/]+$/.test(new URL(r.url).pathname));
      expect.ok(opened.some((r) => selectOf(r).includes('keyCredentials')), 'the opened app was read with keyCredentials');
    },
  },
  {
    name: 'the overview lists with keyCredentials once per open and gets through two throttled answers',
    timeout: 45_000,
    async run(t) {
      const { page, expect } = t;
      allowLoadErrors(t);
      await t.sandbox.fault(keyCredentialsThrottled(2));
      await openOverview(t, 'ada');
      await expect.visible(page.locator('table.ov-table tbody tr').filter({ hasText: 'Build Agent' }).first());
      const withCerts = lists(t).filter((r) => selectOf(r).includes('keyCredentials'));
      expect.equal(withCerts.length, 3, 'two throttled sends, then the one that was answered');
      const armed = await fetch(`${t.sandbox.url}/_sandbox/faults`).then((r) => r.json());
      expect.equal(armed.length, 0, 'both throttled answers were used');
    },
  },
  {
    name: 'data plane: an existing name is found past the empty first page of its versions, through the gateway',
    timeout: 45_000,
    async run(t) {
      const { page, expect } = t;
      allowLoadErrors(t);
      // The sandbox answers the first page of a secret's versions empty, with a nextLink
      // (Azure/azure-sdk-for-go #10711), and lists versions by ID (the order is unspecified).
      await dataPlaneThroughGateway(t);
      await openAppAs(t, 'dan', 'Payroll', 'Payroll API');
      await newSecret(t);
      await pickVault(t, 'kv-contoso-dev');
      await page.getByLabel('Secret name in Key Vault').fill('payroll-api-client-secret');
      await expect.text(page.getByTestId('preflight'), 'already exists in kv-contoso-dev', { timeout: 15_000 });
      const pages = t.requests.filter((r) => r.method === 'GET' && new URL(r.url).pathname === '/kv-gateway/kv-contoso-dev/secrets/payroll-api-client-secret/versions');
      expect.ok(pages.length >= 2, `the empty first page and the next (${pages.length} requests)`);
      expect.ok(pages.every((r) => new URL(r.url).origin === new URL(t.app).origin), 'every page through the gateway');
      expect.ok(new URL(pages.at(-1).url).searchParams.has('$skiptoken'), 'the nextLink was followed');
    },
  },
  {
    name: 'ARM 403 RequestDisallowedByPolicy on the vault write: Azure Policy named, no role asked for, the value kept',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      expectHttpErrors(t, 403);
      const before = await versions(t, 'kv-contoso-dev', 'payroll-api-client-secret');
      await readyToStore(t);
      await page.getByRole('button', { name: 'Create secret' }).click();
      await expect.visible(page.getByRole('heading', { name: 'Your new secret' }));
      // The message form of microsoft/vscode-apimanagement #348.
      await t.sandbox.fault({
        method: 'PUT', path: '/arm/**/vaults/kv-contoso-dev/secrets/*', count: 1, status: 403,
        body: { error: { code: 'RequestDisallowedByPolicy', message: "Resource 'payroll-api-client-secret' was disallowed by policy. Policy identifiers: '[{\"policyAssignment\":{\"name\":\"Secrets need an owner tag\",\"id\":\"/subscriptions/x/providers/Microsoft.Authorization/policyAssignments/owner-tag\"}}]'." } },
      });
      await page.getByRole('button', { name: 'Store in Key Vault' }).click();
      const problem = page.getByTestId('store-problem');
      await expect.text(problem, 'An Azure Policy assignment ("Secrets need an owner tag") refused this change', { timeout: 15_000 });
      await expect.text(problem, "It isn't a missing role");
      await expect.text(problem, 'An admin of that policy can tell you what it requires, or grant an exemption.');
      await expect.text(problem, 'RequestDisallowedByPolicy');
      const text = await problem.innerText();
      expect.ok(!/Contributor|Reader|Secrets Officer/.test(text), `no role is named: ${text}`);
      await expect.text(problem, 'Its value is still here, so nothing is lost');
      const puts = t.requests.filter((r) => r.method === 'PUT' && r.url.includes('/vaults/kv-contoso-dev/secrets/'));
      expect.equal(puts.length, 1, 'a policy refusal is not sent again');
      expect.equal((await versions(t, 'kv-contoso-dev', 'payroll-api-client-secret')).length, before.length, 'nothing stored');
    },
  },
  {
    name: 'ARM 409 ConflictError from a concurrent change on the vault write: sent again, exactly one version',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      expectHttpErrors(t, 409);
      const before = await versions(t, 'kv-contoso-dev', 'payroll-api-client-secret');
      await readyToStore(t);
      const keyId = await createSecret(t);
      // Azure/AzureKeyVault #6.
      await t.sandbox.fault({
        method: 'PUT', path: '/arm/**/vaults/kv-contoso-dev/secrets/*', count: 1, status: 409,
        body: { error: { code: 'ConflictError', message: 'A conflict occurred that prevented the operation from completing. This can happen if parallel operations are being performed on the Microsoft.KeyVault.UnifiedStorage.Core.DomainModel.ResourceId.' } },
      });
      await page.getByRole('button', { name: 'Store in Key Vault' }).click();
      await expect.text(page.getByRole('status').filter({ hasText: 'retrying' }), 'retrying in 1 s');
      await finishStored(t, 'kv-contoso-dev');
      const puts = t.requests.filter((r) => r.method === 'PUT' && r.url.includes('/vaults/kv-contoso-dev/secrets/'));
      expect.equal(puts.length, 2, 'the refused send and one more');
      const made = await expectOneNewVersion(t, before, keyId);
      await t.hygiene(made.credential.secretText, { allowKeyVaultWrite: 2, expectKeyVaultWrites: 2 });
    },
  },
];
