// The tenant's app management policy, as a real tenant shows it: Graph's refusal names no
// maximum, so without Policy.Read.All the app says "less than what you tried" and invents no
// number; with it (and a role that may read policies) the limit is known before creating. A
// policy that blocks new secrets is said plainly, before trying when it can be read.
import { createSecret, finish, openAppAs } from './lib/steps.mjs';
import { credentialOf, sandboxApp } from './lib/records.mjs';

// What an admin grants to let the app read the policy (Ada also holds a role that may read it).
const WITH_POLICY_READ = ['Application.ReadWrite.All', 'User.Read', 'Policy.Read.All'];
const ADD_PASSWORD = /\/graph\/v1\.0\/applications\/[^/]+\/addPassword$/;

/** Records addPassword answers (status and body) as the browser receives them. */
function watchAddPassword(page) {
  const answers = [];
  page.on('response', async (res) => {
    if (res.request().method() === 'POST' && ADD_PASSWORD.test(new URL(res.url()).pathname)) {
      answers.push({ status: res.status(), body: await res.text().catch(() => '') });
    }
  });
  return answers;
}

/** Graph policy reads the app sent. */
function policyReads(t) {
  return t.requests
    .filter((r) => r.method === 'GET' && /appManagementPolic/i.test(new URL(r.url).pathname))
    .map((r) => new URL(r.url).pathname);
}

async function startDescribe(t) {
  const { page, expect } = t;
  const create = page.getByRole('button', { name: 'Create a new secret' });
  await expect.visible(create);
  await page.waitForFunction(() => {
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent.trim() === 'Create a new secret');
    return b && !b.disabled;
  });
  await create.click();
  await expect.visible(page.getByLabel('Description'));
}

export const tests = [
  {
    name: 'Policy Restricted Service refuses a year with no number invented, then 180 days works',
    timeout: 45_000,
    async run(t) {
      const { page, expect } = t;
      // The browser logs the refused request (400) itself.
      t.allowConsoleError(/Failed to load resource: .*400/);
      const answers = watchAddPassword(page);
      await openAppAs(t, 'dan', 'Policy Restricted', 'Policy Restricted Service');
      await startDescribe(t);
      // Without Policy.Read.All nothing is known beforehand: the site's maximum is offered.
      await expect.text(page.locator('#lifetime-max'), 'Secrets here can last at most 730 days.');
      expect.equal(policyReads(t).length, 0, 'no policy read without the permission');
      await page.getByLabel('1 year').check();
      await page.getByRole('button', { name: 'Create secret' }).click();

      const alert = page.locator('.error-panel');
      await expect.text(
        alert,
        "Your organisation's policy doesn't allow a secret for this app to last 1 year, and Microsoft Graph doesn't say how long it may last. Choose a shorter lifetime.",
      );
      await expect.text(alert, 'CredentialInvalidLifetimeAsPerAppPolicy');
      // Graph's answer states no maximum, and the page claims none.
      expect.equal(answers.length, 1);
      expect.equal(answers[0].status, 400);
      const refusal = JSON.parse(answers[0].body).error;
      expect.equal(refusal.code, 'CredentialInvalidLifetimeAsPerAppPolicy');
      expect.equal(refusal.details[0].message, 'Key credential end date is invalid.');
      expect.ok(!/180|P\d+D/.test(answers[0].body), `the refusal names no limit: ${answers[0].body}`);
      const max = page.locator('#lifetime-max');
      await expect.text(max, "Your organisation's policy allows secrets for this app to last less than 1 year; Microsoft Graph doesn't say how much less, so only shorter lifetimes are offered.");
      expect.ok(!/180|364|P\d/.test(await max.innerText()), 'no maximum in the limit sentence');
      expect.ok(!/\b(180|364)\b/.test(await alert.innerText()), 'no number in the refusal');
      await expect.hidden(page.getByLabel('1 year'));
      await expect.hidden(page.getByLabel('18 months'));
      await expect.visible(page.getByLabel('180 days'));
      const app = await sandboxApp(t, 'Policy Restricted Service');
      expect.equal(app.passwordCredentials.length, 1, 'nothing was created by the refusal');

      await page.getByLabel('180 days').check();
      const keyId = await createSecret(t);
      const { credential: created } = await credentialOf(t, 'Policy Restricted Service', keyId);
      await page.getByRole('button', { name: 'Copy', exact: true }).click();
      await finish(t);
      await t.hygiene(created.secretText);
    },
  },
  {
    name: 'with Policy.Read.All granted the 180-day limit is known before creating',
    timeout: 45_000,
    async run(t) {
      const { page, expect } = t;
      // Consent before sign-in: tokens issued earlier keep their scp.
      await t.sandbox.consent({ graph: WITH_POLICY_READ });
      const answers = watchAddPassword(page);
      await openAppAs(t, 'ada', 'Policy Restricted', 'Policy Restricted Service');
      await startDescribe(t);
      const max = page.locator('#lifetime-max');
      await expect.text(max, "Your organisation's policy allows secrets for this app to last at most 180 days.");
      const reads = policyReads(t);
      expect.ok(reads.some((p) => p.endsWith('/policies/defaultAppManagementPolicy')), reads.join(', '));
      expect.ok(reads.some((p) => p.endsWith('/appManagementPolicies') && p.includes('/applications/')), reads.join(', '));
      expect.equal(answers.length, 0, 'known before any addPassword');
      await expect.hidden(page.getByLabel('1 year'));
      await expect.hidden(page.getByLabel('2 years'));
      // The preselected default (180 days) stays within the policy.
      expect.ok(await page.getByLabel('180 days').isChecked(), '180 days is preselected');
      // A custom date beyond it is caught before sending.
      await page.locator('#lifetime-custom').check();
      const far = new Date(Date.now() + 200 * 86400_000).toISOString().slice(0, 10);
      await page.locator('#lifetime-custom-date').fill(far);
      await page.getByRole('button', { name: 'Create secret' }).click();
      await expect.text(page.locator('#lifetime-error'), "Your organisation's policy allows secrets for this app to last at most 180 days.");
      expect.equal(answers.length, 0, 'nothing sent');

      await page.getByLabel('180 days').check();
      await page.getByRole('button', { name: 'Create secret' }).click();
      await expect.visible(page.getByRole('heading', { name: 'Your new secret' }));
      expect.equal(answers.length, 1);
      expect.equal(answers[0].status, 200, 'the first try works');
      const keyId = (await page.getByTestId('secret-key-id').innerText()).trim();
      const { credential: created } = await credentialOf(t, 'Policy Restricted Service', keyId);
      await page.getByRole('button', { name: 'Copy', exact: true }).click();
      await finish(t);
      await t.hygiene(created.secretText);
    },
  },
  {
    name: 'Secretless Service: with Policy.Read.All the policy that blocks secrets is said before trying, and Create is not offered',
    async run(t) {
      const { page, expect } = t;
      await t.sandbox.consent({ graph: WITH_POLICY_READ });
      const answers = watchAddPassword(page);
      await openAppAs(t, 'ada', 'Secretless', 'Secretless Service');
      const note = page.getByTestId('policy-note');
      await expect.text(
        note,
        "Your organisation's policy for this app (“No client secrets”) doesn't allow new client secrets for this app. Use a certificate or a federated credential instead; an administrator of your organisation can tell you which.",
      );
      const create = page.getByRole('button', { name: 'Create a new secret' });
      expect.ok(await create.isDisabled(), 'Create is not offered');
      expect.equal(answers.length, 0);
    },
  },
  {
    name: 'Secretless Service: without Policy.Read.All Graph refuses and the app says so plainly',
    timeout: 45_000,
    async run(t) {
      const { page, expect } = t;
      t.allowConsoleError(/Failed to load resource: .*400/);
      const answers = watchAddPassword(page);
      await openAppAs(t, 'dan', 'Secretless', 'Secretless Service');
      await expect.hidden(page.getByTestId('policy-note'));
      await startDescribe(t);
      await page.getByRole('button', { name: 'Create secret' }).click();
      const alert = page.locator('.error-panel');
      await expect.text(
        alert,
        "Your organisation's policy doesn't allow new client secrets for this app. Use a certificate or a federated credential instead; an administrator of your organisation can tell you which.",
      );
      await expect.text(alert, 'CredentialTypeNotAllowedAsPerAppPolicy');
      await expect.text(alert, 'Credential type not allowed as per assigned policy');
      expect.equal(answers.length, 1);
      expect.equal(answers[0].status, 400);
      expect.ok(await page.getByRole('button', { name: 'Create secret' }).isDisabled(), 'not tried again');
      await page.getByRole('button', { name: "Back to the app's credentials" }).click();
      await expect.text(page.getByTestId('policy-note'), "doesn't allow new client secrets for this app");
      const app = await sandboxApp(t, 'Secretless Service');
      expect.equal(app.passwordCredentials.length, 0, 'nothing was created');
    },
  },
  {
    name: 'Dan with Policy.Read.All but no role that may read policies carries on silently',
    async run(t) {
      const { page, expect } = t;
      // Graph refuses the policy reads (403: no Global Reader or application admin role); the
      // browser logs those itself. The app says nothing about it and offers the site's lifetimes.
      t.allowConsoleError(/Failed to load resource: .*403/);
      await t.sandbox.consent({ graph: WITH_POLICY_READ });
      await openAppAs(t, 'dan', 'Policy Restricted', 'Policy Restricted Service');
      await startDescribe(t);
      await expect.text(page.locator('#lifetime-max'), 'Secrets here can last at most 730 days.');
      expect.ok(policyReads(t).length > 0, 'the reads were tried');
      await expect.hidden(page.locator('.error-panel'));
      await expect.visible(page.getByLabel('2 years'));
    },
  },
];
