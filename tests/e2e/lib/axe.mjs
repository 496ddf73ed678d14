// axe-core (npm, 4.14.1) on the page as it is, without weakening its Content-Security-Policy:
// the script is evaluated through CDP in an isolated world of the page's main frame
// (Page.createIsolatedWorld + Runtime.evaluate). An isolated world shares the DOM with the page
// but not its JavaScript globals, and DevTools evaluation is not governed by the page's CSP, so
// the app runs under the exact policy it ships with and never sees `window.axe`.
//
// `axe(page)` returns the violations (rule id, impact, help, nodes); `assertAxe` fails on any
// serious or critical one and prints the rule IDs and the offending nodes.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { AssertionError } from './expect.mjs';

const require = createRequire(import.meta.url);
let source;

/** Impacts that fail a test (0 serious or critical violations). */
export const FAILING = ['serious', 'critical'];

async function axeSource() {
  source ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  return source;
}

/**
 * Runs axe on the page's main frame and returns every violation, each as
 * `{ id, impact, help, nodes: [{ target, summary }] }`.
 */
export async function axe(page, { disable = [] } = {}) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { frameTree } = await cdp.send('Page.getFrameTree');
    const { executionContextId: contextId } = await cdp.send('Page.createIsolatedWorld', {
      frameId: frameTree.frame.id,
      worldName: 'e2e-axe',
    });
    const loaded = await cdp.send('Runtime.evaluate', { expression: await axeSource(), contextId });
    if (loaded.exceptionDetails) throw new Error(`axe-core did not load: ${loaded.exceptionDetails.text}`);
    const options = {
      resultTypes: ['violations'],
      rules: Object.fromEntries(disable.map((id) => [id, { enabled: false }])),
    };
    const run = await cdp.send('Runtime.evaluate', {
      contextId,
      awaitPromise: true,
      returnByValue: true,
      expression: `axe.run(document, ${JSON.stringify(options)}).then((r) => r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })),
      })))`,
    });
    if (run.exceptionDetails) {
      throw new Error(`axe.run failed: ${run.exceptionDetails.exception?.description ?? run.exceptionDetails.text}`);
    }
    return run.result.value;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** Text for a list of violations: one block per rule with its nodes. */
export function describeViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((n) => `    ${n.target}${n.summary ? `\n      ${n.summary.replace(/\n/g, '\n      ')}` : ''}`)
        .join('\n');
      const more = v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : '';
      return `  ${v.id} (${v.impact}): ${v.help}\n${nodes}${more}`;
    })
    .join('\n');
}

/**
 * Fails when axe finds a serious or critical violation on the page; `label` names the screen.
 * Returns every violation (the minor ones too) for a spec that wants to look.
 */
export async function assertAxe(page, label = page.url(), opts = {}) {
  const all = await axe(page, opts);
  const failing = all.filter((v) => FAILING.includes(v.impact));
  if (failing.length) {
    throw new AssertionError(`axe: ${failing.length} serious/critical violation(s) on ${label}:\n${describeViolations(failing)}`);
  }
  return all;
}
