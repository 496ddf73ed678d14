// Issue 15 §1: "Do you need a secret at all?" Dev Dan answers GitHub Actions on Payroll API's
// Review, sets up a federated credential from a repository and an environment, copies the
// workflow (the clipboard holds the app's client ID and the tenant ID), sees the credential on
// Review and in the sandbox with GitHub's issuer, the subject and the audience, and removes it.
// The sandbox refuses a duplicate issuer and subject and a 21st credential, and the page says
// what to change.
import { openAppAs } from './lib/steps.mjs';
import { sandboxApp, sent } from './lib/records.mjs';
import { expectHttpErrors } from './lib/checks.mjs';

const ISSUER = 'https://token.actions.githubusercontent.com';
const AUDIENCE = 'api://AzureADTokenExchange';

/** `POST /_sandbox/federated`: `count` more GitHub credentials on the app (seeded-{n}). */
async function seed(t, app, count) {
  const res = await fetch(`${t.sandbox.url}/_sandbox/federated`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app, count }),
  });
  t.expect.equal(res.status, 200, 'the seed hook answered');
  return (await res.json()).value;
}

/** Review: answer "Where will the code … run?" and open the federated step. */
async function setUp(t, workload = 'GitHub Actions') {
  const { page, expect } = t;
  const question = page.getByRole('group', { name: 'Where will the code that uses this credential run?' });
  await expect.visible(question);
  await question.getByLabel(workload, { exact: true }).check();
  await expect.text(page.getByTestId('no-secret-needed'), "You don't need a secret");
  await page.getByRole('button', { name: 'Set up a federated credential' }).click();
  await expect.visible(page.getByRole('heading', { level: 2, name: 'A federated credential for Payroll API' }));
}

/** The step: repository and environment, then Create. */
async function createFor(t, repository, environment) {
  const { page } = t;
  await page.getByLabel('Repository', { exact: true }).fill(repository);
  await page.getByLabel('Environment name', { exact: true }).fill(environment);
  await page.getByRole('button', { name: 'Create federated credential' }).click();
}

/** The federated credential POSTs the page sent for Payroll API. */
async function posts(t) {
  const app = await sandboxApp(t, 'Payroll API');
  return sent(t, 'POST', (p) => p.endsWith(`/applications/${app.id}/federatedIdentityCredentials`));
}

async function backToReview(t) {
  const { page, expect } = t;
  await page.getByRole('button', { name: 'Back to Payroll API' }).click();
  await expect.visible(page.getByRole('heading', { level: 2, name: 'Payroll API', exact: true }));
}

export const tests = [
  {
    name: 'Dev Dan sets up a GitHub Actions federated credential for Payroll API, copies the workflow and removes it',
    timeout: 90_000,
    async run(t) {
      const { page, expect } = t;
      await openAppAs(t, 'dan', 'Payroll', 'Payroll API');
      await expect.text(page.locator('main'), 'This app has no federated credentials.');
      // The question is never required: "Create a new secret" is there, as before.
      await expect.visible(page.getByRole('button', { name: 'Create a new secret' }));
      await page.getByLabel('Somewhere else', { exact: true }).check();
      expect.equal(await page.getByTestId('no-secret-needed').count(), 0, 'somewhere else: a secret it is');
      await setUp(t);
      expect.equal(await page.getByLabel('Audience', { exact: true }).inputValue(), AUDIENCE, 'the global service\'s audience');

      // Checked before sending: a URL instead of owner/name says what to change.
      await createFor(t, 'https://github.com/contoso/payroll-api', 'production');
      await expect.text(page.locator('#fic-repository-error'), 'not the repository\'s URL: contoso/payroll-api');
      expect.equal((await posts(t)).length, 0, 'nothing sent');
      await createFor(t, 'contoso/payroll-api', 'production');
      await expect.visible(page.getByRole('heading', { name: 'Federated credential created' }));
      expect.equal((await posts(t)).length, 1, 'one POST');

      const app = await sandboxApp(t, 'Payroll API');
      const [fic] = app.federatedIdentityCredentials;
      expect.ok(fic, 'the sandbox holds it');
      expect.equal(fic.name, 'github-contoso-payroll-api-production', 'the suggested name');
      expect.equal(fic.issuer, ISSUER, 'GitHub\'s issuer');
      expect.equal(fic.subject, 'repo:contoso/payroll-api:environment:production', 'the subject');
      expect.equal(JSON.stringify(fic.audiences), JSON.stringify([AUDIENCE]), 'the audience');
      await expect.text(page.getByTestId('fic-created'), 'repo:contoso/payroll-api:environment:production');

      // The workflow, copied: it names the app's client ID and the tenant.
      const { tenantId } = await t.sandbox.state();
      await page.getByRole('button', { name: 'Copy the github actions workflow' }).click();
      await expect.text(page.locator('.copy-status').first(), 'Copied');
      const clip = await page.evaluate(() => navigator.clipboard.readText());
      expect.includes(clip, `client-id: ${app.appId}`, 'the client ID');
      expect.includes(clip, `tenant-id: ${tenantId}`, 'the tenant ID');
      expect.includes(clip, 'id-token: write', 'the OIDC permission');
      expect.includes(clip, 'azure/login@v2', 'azure/login');
      expect.includes(clip, 'environment: production', 'the environment the subject names');

      // Review lists it beside secrets and certificates; Remove asks first.
      await backToReview(t);
      const row = page.getByTestId('federated-table').getByRole('row', { name: /github-contoso-payroll-api-production/ });
      await expect.visible(row);
      await page.getByRole('button', { name: 'Remove federated credential github-contoso-payroll-api-production' }).click();
      const dialog = page.getByRole('alertdialog');
      await expect.text(dialog, 'Remove \u201cgithub-contoso-payroll-api-production\u201d from Payroll API?');
      await dialog.getByRole('button', { name: 'Keep it' }).click();
      expect.equal((await sandboxApp(t, 'Payroll API')).federatedIdentityCredentials.length, 1, 'kept');
      await page.getByRole('button', { name: 'Remove federated credential github-contoso-payroll-api-production' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Remove credential' }).click();
      await expect.text(page.getByTestId('fic-removal'), 'Removed \u201cgithub-contoso-payroll-api-production\u201d from Payroll API');
      await expect.text(page.locator('main'), 'This app has no federated credentials.');
      expect.equal((await sandboxApp(t, 'Payroll API')).federatedIdentityCredentials.length, 0, 'gone from the sandbox');
    },
  },
  {
    name: 'the sandbox refuses a duplicate issuer and subject and a 21st federated credential; the page says what to change',
    timeout: 120_000,
    async run(t) {
      const { page, expect } = t;
      expectHttpErrors(t, 400);
      await openAppAs(t, 'dan', 'Payroll', 'Payroll API');
      await expect.text(page.locator('main'), 'This app has no federated credentials.');
      await setUp(t);
      // Someone else adds the same issuer and subject meanwhile: only Graph (the sandbox) knows.
      const [seeded] = await seed(t, 'Payroll API', 1);
      expect.equal(seeded.subject, 'repo:contoso/seeded:environment:env-1');
      await createFor(t, 'contoso/seeded', 'env-1');
      const panel = page.getByRole('alert').filter({ hasText: "The federated credential wasn't created" });
      await expect.text(panel, 'Payroll API already has a federated credential with this issuer and subject');
      await expect.text(panel, 'InvalidFederatedIdentityCredentialValue');
      expect.equal((await sandboxApp(t, 'Payroll API')).federatedIdentityCredentials.length, 1, 'refused');

      // Back on Review the list shows it, and the form now says so before sending.
      await backToReview(t);
      await expect.visible(page.getByTestId('federated-table').getByRole('row', { name: /seeded-1/ }));
      await setUp(t);
      const before = (await posts(t)).length;
      await createFor(t, 'contoso/seeded', 'env-1');
      await expect.text(page.locator('#fic-subject-error'), '\u201cseeded-1\u201d already trusts this issuer and subject');
      expect.equal((await posts(t)).length, before, 'nothing sent');

      // 19 in all, then the 20th is created and the 21st refused.
      await backToReview(t);
      await seed(t, 'Payroll API', 18);
      await page.getByRole('button', { name: 'Back to search' }).click();
      await page.getByLabel('App name or Application (client) ID').fill('Payroll');
      await page.getByRole('button', { name: 'Payroll API', exact: true }).click();
      await expect.visible(page.getByTestId('federated-table').getByRole('row', { name: /seeded-19/ }));
      await setUp(t);
      await createFor(t, 'contoso/payroll-api', 'twentieth');
      await expect.visible(page.getByRole('heading', { name: 'Federated credential created' }));
      expect.equal((await sandboxApp(t, 'Payroll API')).federatedIdentityCredentials.length, 20, 'the 20th');
      await backToReview(t);
      await setUp(t);
      await expect.text(page.locator('main'), 'already has 20 federated credentials, the most Microsoft Graph allows');
      await createFor(t, 'contoso/payroll-api', 'twenty-first');
      const refused = page.getByRole('alert').filter({ hasText: "The federated credential wasn't created" });
      await expect.text(refused, 'Microsoft Graph refused: Payroll API already has 20 federated credentials, the most an app can have. Remove one it no longer needs');
      expect.equal((await sandboxApp(t, 'Payroll API')).federatedIdentityCredentials.length, 20, 'the 21st was refused');
    },
  },
];
