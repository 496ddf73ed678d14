// Zero-reveal: "Store in Key Vault without showing it" creates and stores in one click, and the
// value is never in the DOM (every mutation is recorded and scanned, plus every input's value).
import { readyToStore } from './lib/steps.mjs';
import { newCredential, versions } from './lib/records.mjs';
import { expectHttpErrors, expectReferences, expectVersionFor } from './lib/checks.mjs';

/**
 * Records, from page load on, every text and attribute the DOM ever held and every input value,
 * so a value shown for a moment is caught too. Read with `domRecord(t)`.
 */
async function recordDom(t) {
  await t.context.addInitScript(() => {
    const seen = [];
    window.__domRecord = seen;
    const note = (n) => {
      if (n.nodeType === Node.TEXT_NODE) seen.push(n.data);
      else if (n.nodeType === Node.ELEMENT_NODE) {
        seen.push(n.outerHTML);
        if ('value' in n) seen.push(String(n.value));
      }
    };
    const start = () => {
      new MutationObserver((list) => {
        for (const m of list) {
          if (m.type === 'characterData') seen.push(m.target.data);
          if (m.type === 'attributes') seen.push(String(m.target.getAttribute(m.attributeName)));
          m.addedNodes.forEach(note);
        }
      }).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
      document.addEventListener('input', (e) => seen.push(String(e.target.value)), true);
    };
    if (document.documentElement) start();
    else document.addEventListener('DOMContentLoaded', start);
  });
}

/** The page's DOM now (outerHTML and every input's value) plus everything recorded so far. */
async function domRecord(t) {
  return t.page.evaluate(() => [
    document.documentElement.outerHTML,
    ...Array.from(document.querySelectorAll('input, textarea, select'), (e) => e.value),
    ...(window.__domRecord ?? []),
  ].join('\n'));
}

export const tests = [
  {
    name: 'zero-reveal stores in kv-contoso-dev in one click and the value never reaches the DOM',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      await recordDom(t);
      const before = await versions(t, 'kv-contoso-dev', 'payroll-api-client-secret');
      const snapshots = [];
      await readyToStore(t);
      await page.getByLabel('Store in Key Vault without showing it').check();
      snapshots.push(['Describe', await domRecord(t)]);
      await page.getByRole('button', { name: 'Create and store in Key Vault' }).click();
      snapshots.push(['after the click', await domRecord(t)]);
      await expect.visible(page.getByRole('heading', { name: 'Secret created' }), { timeout: 15_000 });
      snapshots.push(['Done', await domRecord(t)]);
      expect.equal(await page.getByTestId('secret-value').count(), 0, 'no value field was left');

      const now = await versions(t, 'kv-contoso-dev', 'payroll-api-client-secret');
      expect.equal(now.length, before.length + 1, 'exactly one new version');
      const latest = now[now.length - 1];
      const made = await newCredential(t, latest.tags.CredentialId);
      expectVersionFor(t, latest, made);
      const value = made.credential.secretText;
      for (const [step, dom] of snapshots) {
        expect.ok(dom.length > 1000, `a real DOM record at ${step}`);
        expect.ok(!dom.includes(value), `the value is not in the DOM at ${step}`);
        expect.ok(!dom.includes(value.slice(0, 12)), `no part of the value in the DOM at ${step}`);
      }
      await expectReferences(t, 'kv-contoso-dev', 'payroll-api-client-secret', latest.version, value);
      await t.hygiene(value, { allowKeyVaultWrite: 1, expectKeyVaultWrites: 1 });
    },
  },
  {
    name: 'zero-reveal: when storing fails the value can be revealed, or the credential removed',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      expectHttpErrors(t, 403);
      await recordDom(t);
      await readyToStore(t);
      await page.getByLabel('Store in Key Vault without showing it').check();
      // ARM refuses the write (as if the role had just been removed).
      await t.sandbox.fault({
        method: 'PUT', path: '/arm/**/vaults/kv-contoso-dev/secrets/*', count: 1, status: 403,
        body: { error: { code: 'AuthorizationFailed', message: "The client 'dan@contoso.example' with object id 'd0d0d0d0-0000-4000-8000-00000000da11' does not have authorization to perform action 'Microsoft.KeyVault/vaults/secrets/write' over scope '/subscriptions/c0de0001-7d3e-4a5b-9c8d-00000000de01/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/kv-contoso-dev/secrets/payroll-api-client-secret' or the scope is invalid." } },
      });
      const before = (await versions(t, 'kv-contoso-dev', 'payroll-api-client-secret')).length;
      await page.getByRole('button', { name: 'Create and store in Key Vault' }).click();
      const problem = page.getByTestId('store-problem');
      await expect.text(problem, 'you need Key Vault Contributor (or Contributor) on the vault', { timeout: 15_000 });
      await expect.text(problem, 'Its value is still here, so nothing is lost');
      const keyId = (await page.getByTestId('secret-key-id').innerText()).trim();
      const made = await newCredential(t, keyId);
      const value = made.credential.secretText;
      expect.ok(!(await domRecord(t)).includes(value), 'not in the DOM before Reveal');
      // Only now is the (masked) field offered; Reveal shows the value Graph issued.
      await page.getByRole('button', { name: 'Reveal' }).click();
      await expect.text(page.getByTestId('secret-value'), value);
      await page.getByRole('button', { name: 'Hide' }).click();
      expect.equal((await versions(t, 'kv-contoso-dev', 'payroll-api-client-secret')).length, before, 'nothing stored');

      await page.getByRole('button', { name: 'Remove the new secret from the app' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Remove the new secret?' });
      await expect.visible(dialog);
      await dialog.getByRole('button', { name: 'Remove it' }).click();
      await expect.text(page.getByRole('status').filter({ hasText: 'was removed' }), keyId, { timeout: 15_000 });
      await expect.visible(page.getByLabel('Description'));
      const app = (await newCredential(t, keyId).catch(() => null));
      expect.equal(app, null, 'the credential is gone from the app');
      await t.hygiene(value, { allowKeyVaultWrite: 1 });
    },
  },
];
