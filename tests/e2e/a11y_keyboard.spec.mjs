// The main flow by keyboard alone: Tab to each control, Enter or Space to use it, and
// every stop shows a focus ring (the computed :focus-visible outline). Only the sandbox's sign-in
// page (Microsoft's stand-in, not the app) is clicked.
import { sandboxVault } from './lib/records.mjs';

/** What has focus: tag, role, accessible-ish name, and whether a focus ring is drawn. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1;
    const label = el.labels?.[0]?.textContent ?? '';
    const name = (el.getAttribute('aria-label') || label || el.textContent || el.value || '').trim().replace(/\s+/g, ' ');
    return { tag: el.tagName.toLowerCase(), type: el.type ?? '', name: name.slice(0, 80), ring, visible: el.matches(':focus-visible') };
  });
}

/**
 * Presses Tab (at most `max` times) until the focused element matches `want` (a RegExp on its
 * name); fails if a stop on the way has no visible focus ring.
 */
async function tabTo(t, want, { max = 80, back = false } = {}) {
  const seen = [];
  for (let i = 0; i < max; i += 1) {
    await t.page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(t.page);
    if (!f) continue;
    seen.push(`${f.tag}:${f.name.slice(0, 30)}`);
    // Inside a date field, Tab also stops on the browser's own calendar button (in the input's
    // shadow tree); the browser draws that ring itself.
    const pickerButton = f.tag === 'input' && f.type === 'date' && !f.visible;
    t.expect.ok(pickerButton || (f.visible && f.ring), `no visible focus ring on ${f.tag} "${f.name}"`);
    if (want.test(f.name)) return f;
  }
  throw new Error(`Tab never reached ${want} (stops: ${seen.slice(-15).join(' → ')})`);
}

/** In a radio group (one tab stop), arrow keys move and select: on to the radio named `want`. */
async function arrowTo(t, want, max = 12) {
  for (const key of ['ArrowDown', 'ArrowUp']) {
    for (let i = 0; i < max; i += 1) {
      const f = await focused(t.page);
      if (f && want.test(f.name)) {
        t.expect.ok(f.visible && f.ring, `no visible focus ring on the radio "${f.name}"`);
        return f;
      }
      await t.page.keyboard.press(key);
    }
  }
  throw new Error(`the arrow keys never reached ${want}`);
}

export const tests = [
  {
    name: 'Dev Dan stores a new Payroll API secret with the keyboard alone, a focus ring at every stop',
    timeout: 90_000,
    async run(t) {
      const { page, context, expect } = t;
      t.allowConsoleError(/^Failed to load resource: the server responded with a status of 404 /);
      await t.open('/');
      await expect.visible(page.getByRole('button', { name: 'Sign in', exact: true }));
      // The skip link comes first and is visible when focused.
      const skip = await tabTo(t, /^Skip to content$/, { max: 3 });
      expect.equal(skip.tag, 'a', 'the first stop is the skip link');
      await tabTo(t, /^Sign in$/);
      const popup = context.waitForEvent('page');
      await page.keyboard.press('Enter');
      const signInPage = await popup;
      await signInPage.getByRole('button', { name: /Dev Dan/ }).click();
      await expect.visible(page.getByRole('button', { name: 'Sign out' }), { timeout: 15_000 });

      await tabTo(t, /^App name or Application \(client\) ID$/);
      await page.keyboard.type('Payroll');
      await tabTo(t, /^Payroll API/);
      await page.keyboard.press('Enter');
      await expect.visible(page.getByRole('heading', { level: 2, name: 'Payroll API', exact: true }));
      await tabTo(t, /^Create a new secret$/);
      await page.keyboard.press('Space');
      await expect.visible(page.getByLabel('Description'));

      await tabTo(t, /^Search vaults$/);
      await page.keyboard.type('kv-contoso-dev');
      // The vaults arrive from ARM after the step opens: wait for the filtered list before Tab
      // enters the radio group (on a slow runner Tab could otherwise land on "Don't store it"
      // alone, with no vault to arrow to).
      await expect.visible(page.getByRole('radio', { name: /^kv-contoso-dev —/ }), { timeout: 15_000 });
      // The vault list is a radio group: Tab enters it, the arrow keys choose.
      await tabTo(t, /^(kv-contoso-dev —|Don't store it)/);
      await arrowTo(t, /^kv-contoso-dev —/);
      await expect.text(page.getByTestId('preflight'), 'You can store it here.', { timeout: 15_000 });
      await tabTo(t, /^Create secret$/);
      await page.keyboard.press('Enter');
      await expect.visible(page.getByRole('heading', { name: 'Your new secret' }), { timeout: 15_000 });

      await tabTo(t, /^Store in Key Vault$/);
      await page.keyboard.press('Enter');
      await expect.text(page.getByTestId('store-panel'), 'Stored in kv-contoso-dev', { timeout: 15_000 });
      await tabTo(t, /^Finish$/);
      await page.keyboard.press('Enter');
      await expect.visible(page.getByRole('heading', { name: 'Secret created' }));
      // A scrollable reference snippet is a tab stop too, with a ring.
      await tabTo(t, /@Microsoft\.KeyVault|AZURE_CLIENT_ID/);

      const dev = await sandboxVault(t, 'kv-contoso-dev');
      const secret = dev.secrets.find((s) => s.name === 'payroll-api-client-secret');
      expect.ok(secret && secret.versions.length >= 1, 'the vault holds a version');
    },
  },
];
