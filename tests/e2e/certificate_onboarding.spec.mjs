// Issue 15, Done-when §2: a certificate credential for Onboarding Portal whose private key
// nobody sees. The sandbox holds the new key credential (its thumbprint is customKeyIdentifier),
// the app's earlier key credentials are all still there unchanged, and the vault's PEM secret
// holds a private key that matches the certificate's public key (Node's X.509 and PKCS#8
// parsers); the private key is never in the DOM, storage, console, URLs or any request but the
// one Key Vault write. And: a failing store offers removing the new certificate, and does it.
import { openAppAs, newSecret, pickVault, expectReady } from './lib/steps.mjs';
import { versions } from './lib/records.mjs';
import { expectHttpErrors } from './lib/checks.mjs';
import { privateKeyLines, readPem } from './lib/pem.mjs';

const APP = 'Onboarding Portal';
const VAULT = 'kv-contoso-dev';
const NAME = 'onboarding-portal-certificate';

/** The sandbox's key credentials of every app, with their `key` (GET /_sandbox/key-credentials). */
async function keyCredentials(t) {
  const res = await fetch(`${t.sandbox.url}/_sandbox/key-credentials`);
  t.expect.ok(res.ok, 'the key-credentials hook answers');
  return (await res.json())[APP];
}

/** Gives Onboarding Portal an earlier certificate (the seed has none) through the hook. */
async function seedEarlier(t) {
  const res = await fetch(`${t.sandbox.url}/_sandbox/key-credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app: APP, displayName: 'CN=onboarding-2026' }),
  });
  t.expect.ok(res.ok, 'seeded an earlier certificate');
  return keyCredentials(t);
}

/** Records every text and attribute the DOM ever held, and every input value, from page load. */
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

async function domRecord(t) {
  return t.page.evaluate(() => [
    document.documentElement.outerHTML,
    ...Array.from(document.querySelectorAll('input, textarea, select'), (e) => e.value),
    ...(window.__domRecord ?? []),
  ].join('\n'));
}

/** Dan on Onboarding Portal's Describe, Certificate chosen, kv-contoso-dev ready. */
async function describeCertificate(t) {
  const { page, expect } = t;
  await openAppAs(t, 'dan', 'Onboarding', APP);
  await newSecret(t);
  await page.getByLabel('Certificate (recommended)').check();
  await expect.visible(page.getByRole('heading', { name: `A new certificate for ${APP}` }));
  expect.equal(await page.getByLabel('Subject name (CN)').inputValue(), APP, 'the subject defaults to the app name');
  await page.getByLabel('90 days').check();
  await pickVault(t, VAULT);
  expect.equal(await page.getByLabel('Secret name in Key Vault').inputValue(), NAME, "a certificate's default name");
  await expectReady(t);
}

export const tests = [
  {
    name: 'Dan adds a certificate to Onboarding Portal: kept beside the earlier one, its PEM in Key Vault, the key never seen',
    timeout: 90_000,
    async run(t) {
      const { page, expect } = t;
      expectHttpErrors(t, 404); // the free name's check
      await recordDom(t);
      const earlier = await seedEarlier(t);
      expect.equal(earlier.length, 1, 'one earlier certificate');
      await describeCertificate(t);
      const before = await versions(t, VAULT, NAME);
      await page.getByRole('button', { name: 'Create certificate and store in Key Vault' }).click();
      await expect.visible(page.getByRole('heading', { name: 'Certificate created' }), { timeout: 30_000 });

      // The vault: one PEM secret, its content type and tags.
      const now = await versions(t, VAULT, NAME);
      expect.equal(now.length, before.length + 1, 'exactly one new version');
      const stored = now[now.length - 1];
      expect.equal(stored.contentType, 'application/x-pem-file', 'content type');
      const pem = stored.value;
      const read = readPem(pem);
      expect.ok(read.matches, "the PEM's private key matches the certificate's public key");
      expect.equal(read.cert.subject, `CN=${APP}`, 'subject from the app name');
      expect.equal(read.cert.issuer, read.cert.subject, 'issuer is the subject');
      expect.ok(read.cert.verify(read.cert.publicKey), 'signed with its own key (self-signed)');
      expect.equal(stored.tags.Thumbprint, read.thumbprint, 'the Thumbprint tag');
      expect.equal(stored.tags.AppDisplayName, APP, 'the tags a secret gets');

      // The app: the earlier certificate unchanged, the new one with its thumbprint.
      const after = await keyCredentials(t);
      expect.equal(after.length, 2, 'the earlier certificate and the new one');
      expect.equal(JSON.stringify(after[0]), JSON.stringify(earlier[0]), 'the earlier one is unchanged');
      const added = after[1];
      expect.equal(added.customKeyIdentifier, read.thumbprint, 'customKeyIdentifier is the thumbprint');
      expect.equal(added.key, read.derBase64, "the app's certificate is the PEM's");
      expect.equal(added.type, 'AsymmetricX509Cert');
      expect.equal(added.usage, 'Verify');
      expect.equal(stored.tags.CredentialId, added.keyId, 'CredentialId names the new key credential');

      // Done: thumbprint, expiry, the vault secret, the code that loads the PEM.
      await expect.text(page.getByTestId('done-thumbprint'), read.thumbprint);
      await expect.visible(page.getByTestId('done-expires'));
      await expect.text(page.getByTestId('snippet-code'), 'ClientCertificateCredential');
      await expect.text(page.getByTestId('snippet-code'), NAME);
      await page.getByRole('tab', { name: 'Python' }).click();
      await expect.text(page.getByTestId('snippet-code'), 'certificate_data=pem.encode()');

      // The private key was never anywhere but the one vault write.
      const lines = privateKeyLines(pem);
      const dom = await domRecord(t);
      expect.ok(dom.length > 1000, 'a real DOM record');
      for (const line of lines) expect.ok(!dom.includes(line), 'no line of the private key in the DOM, ever');
      for (const line of [lines[0], lines[Math.floor(lines.length / 2)], lines[lines.length - 2]]) {
        await t.hygiene(line, { allowKeyVaultWrite: 1 });
      }
    },
  },
  {
    name: 'a certificate whose store fails is removed from Onboarding Portal when Dan gives it up',
    timeout: 90_000,
    async run(t) {
      const { page, expect } = t;
      expectHttpErrors(t, 403, 404);
      const earlier = await seedEarlier(t);
      await describeCertificate(t);
      await t.sandbox.fault({
        method: 'PUT', path: `/arm/**/vaults/${VAULT}/secrets/*`, count: 1, status: 403,
        body: { error: { code: 'AuthorizationFailed', message: "The client 'dan@contoso.example' with object id 'd0d0d0d0-0000-4000-8000-00000000da11' does not have authorization to perform action 'Microsoft.KeyVault/vaults/secrets/write' over scope '/subscriptions/c0de0001-7d3e-4a5b-9c8d-00000000de01/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/kv-contoso-dev/secrets/onboarding-portal-certificate' or the scope is invalid." } },
      });
      await page.getByRole('button', { name: 'Create certificate and store in Key Vault' }).click();
      const problem = page.getByTestId('store-problem');
      await expect.text(problem, "The certificate's private key wasn't stored", { timeout: 30_000 });
      const thumbprint = (await page.getByTestId('certificate-thumbprint').innerText()).trim();
      const during = await keyCredentials(t);
      expect.equal(during.length, 2, 'the new certificate is on the app');
      expect.equal(during[1].customKeyIdentifier, thumbprint);
      expect.equal((await versions(t, VAULT, NAME)).length, 0, 'nothing stored');

      await page.getByRole('button', { name: 'Remove the new certificate from the app' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Remove the new certificate?' });
      await expect.visible(dialog);
      await dialog.getByRole('button', { name: 'Remove it' }).click();
      await expect.visible(page.getByRole('heading', { name: `A new certificate for ${APP}` }), { timeout: 15_000 });
      await expect.text(page.getByRole('status').filter({ hasText: 'was removed' }), `The new certificate (thumbprint ${thumbprint}) was removed from ${APP}`);
      const left = await keyCredentials(t);
      expect.equal(JSON.stringify(left), JSON.stringify(earlier), 'back to the earlier certificate, unchanged');
    },
  },
];
