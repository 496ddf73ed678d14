// Assertions for e2e specs, with messages that say what was expected and what was there.
// Locator checks poll (playwright-core has no `expect`), everything else is immediate.

const DEFAULT_TIMEOUT = 10_000;

export class AssertionError extends Error {}

function fail(message) {
  throw new AssertionError(message);
}

async function poll(check, timeout, describe) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last.ok) return last.value;
    } catch (e) {
      last = { ok: false, seen: `error: ${e.message.split('\n')[0]}` };
    }
    if (Date.now() > deadline) fail(`${describe()} (after ${timeout} ms; saw ${last.seen})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const show = (s) => JSON.stringify(s.length > 300 ? `${s.slice(0, 300)}…` : s);

export const expect = {
  ok(value, message = 'expected a truthy value') {
    if (!value) fail(message);
  },
  equal(actual, expected, message = '') {
    if (actual !== expected) fail(`${message ? `${message}: ` : ''}expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  },
  includes(haystack, needle, message = '') {
    if (!String(haystack).includes(needle)) fail(`${message ? `${message}: ` : ''}expected ${show(String(haystack))} to contain ${JSON.stringify(needle)}`);
  },
  /** Waits until the locator matches a visible element. */
  async visible(locator, { timeout = DEFAULT_TIMEOUT } = {}) {
    await poll(
      async () => {
        const n = await locator.count();
        const visible = n > 0 && (await locator.first().isVisible());
        return { ok: visible, seen: `${n} match(es)${n ? (visible ? ', visible' : ', hidden') : ''}` };
      },
      timeout,
      () => `expected ${locator} to be visible`,
    );
  },
  /** Waits until nothing visible matches the locator. */
  async hidden(locator, { timeout = DEFAULT_TIMEOUT } = {}) {
    await poll(
      async () => {
        const all = await locator.all();
        const shown = (await Promise.all(all.map((l) => l.isVisible()))).filter(Boolean).length;
        return { ok: shown === 0, seen: `${shown} visible match(es)` };
      },
      timeout,
      () => `expected ${locator} to be hidden`,
    );
  },
  /** Waits until the locator's first match has text containing `text` (string or RegExp). */
  async text(locator, text, { timeout = DEFAULT_TIMEOUT } = {}) {
    return poll(
      async () => {
        const n = await locator.count();
        if (n === 0) return { ok: false, seen: 'no match' };
        const inner = await locator.first().innerText();
        const ok = text instanceof RegExp ? text.test(inner) : inner.includes(text);
        return { ok, value: inner, seen: show(inner) };
      },
      timeout,
      () => `expected ${locator} to contain ${text}`,
    );
  },
};
