// Issue 16 §1: renew many at once, zero-reveal. Ada selects the secrets that expire within 30
// days and have a vault copy, renews them in one run, pauses, reloads the page, finds where the
// run stood from Graph and the vault's tags alone, finishes, downloads the report, then removes
// the replaced secrets after a confirmation that lists them. A lost addPassword answer and a
// lost vault answer never make two secrets (or two versions) for one.
import { readFile } from 'node:fs/promises';
import { openOverview } from './lib/steps.mjs';
import { sent } from './lib/records.mjs';
import { allowLoadErrors } from './lib/checks.mjs';

const ADD_PASSWORD = '/graph/v1.0/applications/*/addPassword';

async function seed(t, count, prefix) {
  const res = await fetch(`${t.sandbox.url}/_sandbox/renewals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count, prefix }),
  });
  t.expect.equal(res.status, 201, 'the hook seeded the apps');
  return (await res.json()).apps;
}

const phase = (page, p) => page.locator(`#ov-renew[data-phase="${p}"]`);

async function findCopies(t) {
  const { page, expect } = t;
  await page.locator('#renew-find').click();
  await expect.visible(phase(page, 'ready'), { timeout: 20_000 });
}

/** Ticks exactly the rows of `keys` (lower-case keyIds); returns how many rows were offered. */
async function pickExactly(page, keys) {
  const rows = await page.locator('#renew-candidates tr[data-key-id]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key-id')));
  for (const key of rows) {
    await page.locator(`#renew-candidates tr[data-key-id="${key}"] input.renew-pick`).setChecked(keys.has(key.toLowerCase()));
  }
  return rows.map((k) => k.toLowerCase());
}

/** Each hook app: its credentials and its vault secret's versions, as the sandbox holds them. */
async function holdings(t, hook) {
  const state = await t.sandbox.state();
  const vault = state.vaults.vaults.find((v) => v.name === 'kv-contoso-dev');
  return hook.map((h) => ({
    h,
    creds: state.applications.find((a) => a.id === h.id).passwordCredentials,
    versions: vault.secrets.find((s) => s.name === h.vaultSecret).versions,
  }));
}

/** Every hook secret renewed exactly once: one new credential naming the old one, one new
 * vault version holding its value, tagged with both keyIds, expiring with it. */
function expectRenewedOnce(t, held) {
  for (const { h, creds, versions } of held) {
    const fresh = creds.filter((c) => c.keyId !== h.keyId);
    t.expect.ok(creds.some((c) => c.keyId === h.keyId), `${h.displayName}: the old secret stays (overlap)`);
    t.expect.equal(fresh.length, 1, `${h.displayName}: one new secret`);
    t.expect.ok(fresh[0].displayName.startsWith(`Renews ${h.keyId} via secret-wizard`), fresh[0].displayName);
    t.expect.equal(versions.length, 2, `${h.vaultSecret}: one new version`);
    const latest = versions.at(-1);
    t.expect.equal(latest.tags.CredentialId, fresh[0].keyId, 'CredentialId names the new secret');
    t.expect.equal(latest.tags.ReplacesCredentialId, h.keyId, 'ReplacesCredentialId names the old one');
    t.expect.equal(latest.value, fresh[0].secretText, 'the vault holds the new value');
    t.expect.equal(latest.attributes.exp, Math.floor(Date.parse(fresh[0].endDateTime) / 1000), 'exp = its end');
  }
}

export const tests = [
  {
    name: 'select, renew, pause, resume after a reload, report, then remove the replaced',
    timeout: 120_000,
    async run(t) {
      const { page, expect } = t;
      const hook = await seed(t, 6, 'Renew e2e');
      const keys = new Set(hook.map((h) => h.keyId.toLowerCase()));
      // Slow addPassword a little, so the run can be paused with some left.
      await t.sandbox.fault({ method: 'POST', path: ADD_PASSWORD, count: 100, latencyMs: 400 });
      await openOverview(t, 'ada');
      await expect.visible(phase(page, 'idle'));
      await findCopies(t);
      const offered = await pickExactly(page, keys);
      expect.ok(hook.every((h) => offered.includes(h.keyId.toLowerCase())), 'every expiring secret with a vault copy is offered');
      await expect.text(page.locator('#renew-start'), 'Renew 6 secrets');
      await page.locator('#renew-start').click();
      await expect.visible(page.locator('#renew-progress'));
      await page.locator('#renew-pause').click();
      await expect.visible(phase(page, 'paused'), { timeout: 20_000 });
      const paused = await page.locator('#renew-counts').innerText();
      const renewedBefore = Number(/(\d+) renewed/.exec(paused)[1]);
      expect.ok(renewedBefore >= 1 && renewedBefore < 6, `paused with some left: ${paused}`);
      expect.ok(/\d+ left/.test(paused) && !paused.includes('0 left'), paused);

      // Reload: nothing of the run is kept in the browser; the vaults' tags say where it stood.
      await page.reload();
      await page.getByRole('button', { name: 'Expiry overview' }).click();
      await expect.visible(page.locator('table.ov-table tbody tr').first(), { timeout: 20_000 });
      await findCopies(t);
      const left = await pickExactly(page, keys);
      const leftHook = hook.filter((h) => left.includes(h.keyId.toLowerCase()));
      expect.equal(leftHook.length, 6 - renewedBefore, 'the renewed ones are no longer offered');
      await expect.text(page.locator('#renew-remove-replaced'), `Remove ${renewedBefore} replaced secret`);
      await page.locator('#renew-start').click();
      await expect.visible(phase(page, 'finished'), { timeout: 30_000 });
      const report = page.locator('#renew-report tbody tr');
      expect.equal(await report.count(), 6 - renewedBefore);
      expect.equal(await page.locator('#renew-report tr[data-result="renewed"]').count(), 6 - renewedBefore, 'all renewed');
      expectRenewedOnce(t, await holdings(t, hook));
      const adds = sent(t, 'POST', (p) => p.endsWith('/addPassword'));
      expect.equal(adds.length, 6, 'one addPassword per secret, across the reload');

      // The report as CSV: names and identifiers, never a value.
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#renew-report-csv').click()]);
      expect.ok(/^secret-renewals-\d{4}-\d{2}-\d{2}\.csv$/.test(download.suggestedFilename()), download.suggestedFilename());
      const csv = await readFile(await download.path(), 'utf8');
      const lines = csv.trim().split('\r\n');
      expect.ok(lines[0].startsWith('app_name,app_object_id,key_id,'), lines[0]);
      expect.equal(lines.length, 1 + 6 - renewedBefore);
      for (const { h, creds } of await holdings(t, hook)) {
        for (const c of creds) {
          expect.ok(!csv.includes(c.secretText), 'no value in the report');
          // The new value went to the vault in exactly one write and nowhere else; the old one
          // (which the app never read) nowhere at all.
          const fresh = c.keyId !== h.keyId;
          await t.hygiene(c.secretText, { allowKeyVaultWrite: fresh ? 1 : 0, expectKeyVaultWrites: fresh ? 1 : 0 });
        }
      }

      // Remove the replaced: the confirmation lists all six, then each is checked and removed.
      await page.locator('#renew-remove-replaced').click();
      const items = page.locator('#replaced-dialog li.replaced-item');
      await expect.visible(items.first());
      expect.equal(await items.count(), 6, 'the list names every replaced secret');
      for (const h of hook) await expect.visible(page.locator(`#replaced-dialog li.replaced-item[data-key-id="${h.keyId}"]`));
      await page.getByRole('button', { name: 'Remove them' }).click();
      await expect.visible(phase(page, 'removed'), { timeout: 30_000 });
      expect.equal(await page.locator('#replaced-result li[data-result="removed"]').count(), 6);
      for (const { h, creds } of await holdings(t, hook)) {
        expect.equal(creds.length, 1, `${h.displayName}: only the new secret is left`);
        expect.ok(creds[0].displayName.startsWith(`Renews ${h.keyId} `), creds[0].displayName);
      }
    },
  },
  {
    name: 'lost answers from Graph and the vault: no second secret, no second version',
    timeout: 90_000,
    async run(t) {
      const { page, expect } = t;
      allowLoadErrors(t);
      const hook = await seed(t, 3, 'Renew lost');
      const keys = new Set(hook.map((h) => h.keyId.toLowerCase()));
      await openOverview(t, 'ada');
      await findCopies(t);
      await pickExactly(page, keys);
      // The sandbox acts, then closes the connection: the app can't know, so it must look.
      await t.sandbox.fault({ method: 'POST', path: ADD_PASSWORD, count: 1, dropAfterAction: true });
      await t.sandbox.fault({ method: 'PUT', path: '/arm/**/vaults/kv-contoso-dev/secrets/*', count: 1, dropAfterAction: true });
      await page.locator('#renew-start').click();
      await expect.visible(phase(page, 'finished'), { timeout: 60_000 });
      expect.equal(await page.locator('#renew-report tr[data-result="renewed"]').count(), 3, 'all three renewed');
      expectRenewedOnce(t, await holdings(t, hook));
      // The orphan of the lost addPassword (and any the browser's own resend made) was removed.
      const removals = sent(t, 'POST', (p) => p.endsWith('/removePassword'));
      expect.ok(removals.length >= 1, 'the orphan was removed');
    },
  },
];
