// Accessibility of every screen: axe-core with 0 serious or critical violations on the
// signed-out page, the config error page, the signed-in list, each wizard step, Show once, the
// vault step, Done and the overview, in light and dark; every input labelled; status messages
// in live regions; the stepper says where the user is; usable at 700 px; the demo's tour.
import { chooseVault, finish, newSecret, preflight, signedIn } from './lib/steps.mjs';

/** Fails when a visible form control has no accessible name from a label or ARIA. */
async function expectLabelled(t, screen) {
  const missing = await t.page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => el.type !== 'hidden' && el.getClientRects().length > 0)
      .filter((el) => {
        const byLabel = [...(el.labels ?? [])].some((l) => l.textContent.trim() !== '');
        const byAria = (el.getAttribute('aria-label') ?? '').trim() !== '';
        const byIds = (el.getAttribute('aria-labelledby') ?? '')
          .split(/\s+/)
          .some((id) => id && (document.getElementById(id)?.textContent ?? '').trim() !== '');
        return !(byLabel || byAria || byIds);
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  t.expect.equal(missing.length, 0, `inputs without a label on ${screen}: ${missing.join(' | ')}`);
}

/** Fails unless the element holding `text` sits in a live region (role status/alert or aria-live). */
async function expectAnnounced(t, locator, what) {
  await t.expect.visible(locator);
  const live = await locator.first().evaluate((el) => {
    const region = el.closest('[role=status], [role=alert], [aria-live]:not([aria-live=off])');
    return region ? region.getAttribute('role') ?? `aria-live=${region.getAttribute('aria-live')}` : null;
  });
  t.expect.ok(live, `${what} is not in a live region, so a screen reader would not announce it`);
}

/** axe, the labels and the page width, on one screen. */
async function screen(t, name) {
  await t.axe(name);
  await expectLabelled(t, name);
  const overflow = await t.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  t.expect.ok(overflow <= 0, `${name} scrolls sideways by ${overflow} px at ${t.page.viewportSize().width} px`);
}

/** The stepper's current step (aria-current="step"). */
async function expectStep(t, label) {
  await t.expect.text(t.page.locator('nav[aria-label="Progress"] [aria-current="step"]'), label);
}

async function openPayroll(t) {
  await t.page.getByLabel('App name or Application (client) ID').fill('Payroll');
  await t.page.getByRole('button', { name: 'Payroll API', exact: true }).click();
  await t.expect.visible(t.page.getByRole('heading', { level: 2, name: 'Payroll API', exact: true }));
  // Settled: "Create a new secret" turns on once Dan's ownership is known. Scanned while it was
  // turning on, axe once judged the button at its half-faded disabled look (dark mode, 3.4:1).
  await t.page.waitForFunction(
    () => [...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Create a new secret' && !b.disabled),
    null,
    { timeout: 15_000 },
  );
}

/** From Payroll API's Review step through Done, checking each screen. */
async function wizardScreens(t) {
  const { page, expect } = t;
  await newSecret(t);
  await expectStep(t, 'Describe');
  await screen(t, 'Describe');
  await chooseVault(t, 'kv-contoso-dev');
  await preflight(t, 'You can store it here.');
  await expectAnnounced(t, page.getByTestId('preflight'), 'the pre-flight result');
  await screen(t, 'Describe with a vault chosen and the pre-flight result');
  await page.getByRole('button', { name: 'Create secret' }).click();
  await expect.visible(page.getByRole('heading', { name: 'Your new secret' }));
  await expectStep(t, 'Show once');
  await screen(t, 'Show once');
  await page.getByRole('button', { name: /^Copy/ }).first().click();
  await expectAnnounced(t, page.getByText('Copied', { exact: false }), 'the "Copied" feedback');
  await page.getByRole('button', { name: 'Store in Key Vault' }).click();
  await expect.text(page.getByTestId('store-panel'), 'Stored in kv-contoso-dev', { timeout: 15_000 });
  await expectAnnounced(t, page.getByTestId('store-panel').getByText('Stored in kv-contoso-dev'), '"Stored in …"');
  await screen(t, 'Show once, stored in the vault');
  await finish(t);
  await expectStep(t, 'Done');
  await screen(t, 'Done');
}

export const tests = [
  {
    name: 'the signed-out page, the Learn more panel and the config error page have no serious violations',
    async run(t) {
      const { page, expect } = t;
      await t.open('/');
      await expect.visible(page.getByRole('button', { name: 'Sign in', exact: true }));
      await screen(t, 'the signed-out page');
      await page.locator('details.learn-more summary').click();
      await expect.visible(page.getByText('Workload identity federation'));
      await screen(t, 'the signed-out page with Learn more open');
      await page.route('**/config.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"cloud":"public"}' }));
      await t.open('/');
      await expect.text(page.getByRole('alert'), 'tenantId');
      await screen(t, 'the config error page');
    },
  },
  {
    name: 'the signed-in list, Review and every wizard step through Done pass axe (light)',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      t.allowConsoleError(/^Failed to load resource: the server responded with a status of 404 /);
      await signedIn(t, 'dan');
      await expect.visible(page.getByLabel('App name or Application (client) ID'));
      await expectStep(t, 'Choose app');
      await screen(t, 'the signed-in app list');
      await openPayroll(t);
      await expectStep(t, 'Review credentials');
      await screen(t, 'Review');
      await wizardScreens(t);
    },
  },
  {
    name: 'the same steps in dark mode with reduced motion: axe (contrast included), dark colours, no spinning',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      t.allowConsoleError(/^Failed to load resource: the server responded with a status of 404 /);
      await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
      await t.open('/');
      const looks = () => page.evaluate(() => {
        const probe = document.createElement('span');
        probe.className = 'spinner';
        document.body.append(probe);
        const spin = getComputedStyle(probe).animationName;
        probe.remove();
        return { bg: getComputedStyle(document.body).backgroundColor, spin };
      });
      const dark = await looks();
      expect.equal(dark.bg, 'rgb(31, 31, 31)', 'dark background');
      expect.equal(dark.spin, 'none', 'the spinner stands still under prefers-reduced-motion');
      await screen(t, 'the signed-out page (dark)');
      await t.signIn('dan');
      await openPayroll(t);
      await screen(t, 'Review (dark)');
      await wizardScreens(t);
      await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
      const light = await looks();
      expect.equal(light.bg, 'rgb(245, 245, 245)', 'light background');
      expect.equal(light.spin, 'spin', 'the spinner turns when motion is fine');
    },
  },
  {
    name: 'the expiry overview passes axe at 700 px wide',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      await page.setViewportSize({ width: 700, height: 900 });
      await signedIn(t, 'ada');
      await page.getByRole('button', { name: 'Expiry overview' }).click();
      await expect.visible(page.locator('table.ov-table tbody tr').first(), { timeout: 20_000 });
      await screen(t, 'the expiry overview');
    },
  },
  {
    name: 'the demo tour: shown on the first visit, passes axe, steps on, and stays closed once closed',
    tour: true,
    async run(t) {
      const { page, expect } = t;
      await t.open('/');
      const tour = page.getByRole('region', { name: 'Quick tour of the demo' });
      await expect.text(tour, 'Quick tour · 1 of 4');
      await screen(t, 'the tour');
      await tour.getByRole('button', { name: 'Next' }).click();
      await expect.text(tour, '2 of 4');
      await expectAnnounced(t, tour.getByText('2 of 4'), 'the tour card');
      await tour.getByRole('button', { name: 'Back' }).click();
      await expect.text(tour, '1 of 4');
      await tour.getByRole('button', { name: 'Skip the tour' }).click();
      await expect.hidden(tour);
      expect.equal(await page.evaluate(() => sessionStorage.getItem('secret-wizard.tour')), 'done', 'remembered');
      await page.reload();
      await expect.visible(page.getByRole('button', { name: 'Sign in', exact: true }));
      expect.equal(await tour.count(), 0, 'not shown again in this tab');
    },
  },
];
