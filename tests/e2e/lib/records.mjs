// What the sandbox holds and what the page sent, for specs to compare with what the page shows:
// apps and their credentials, vaults and their secrets' versions, the requests recorded so far.

/** The sandbox's record of an app, by display name. */
export async function sandboxApp(t, name) {
  const state = await t.sandbox.state();
  const app = state.applications.find((a) => a.displayName === name);
  t.expect.ok(app, `the sandbox has no app named ${JSON.stringify(name)}`);
  return app;
}

/** The keyIds of an app's secrets, per the sandbox. */
export async function keyIds(t, app) {
  return (await sandboxApp(t, app)).passwordCredentials.map((c) => c.keyId);
}

/** The sandbox's records of an app and of its credential `keyId` (the one the page shows). */
export async function credentialOf(t, appName, keyId) {
  const app = await sandboxApp(t, appName);
  const c = app.passwordCredentials.find((x) => x.keyId === keyId);
  t.expect.ok(c, `${appName} has the credential ${keyId}`);
  return { app, credential: c };
}

/** The new Payroll API credential's sandbox records, by the keyId the page shows. */
export async function newCredential(t, keyId) {
  return credentialOf(t, 'Payroll API', keyId);
}

/** The sandbox's record of a vault (`/_sandbox/state`), by name. */
export async function sandboxVault(t, name) {
  const state = await t.sandbox.state();
  const vaults = state.vaults?.vaults ?? state.vaults;
  const vault = vaults.find((v) => v.name === name);
  t.expect.ok(vault, `the sandbox has no vault named ${JSON.stringify(name)}`);
  return vault;
}

/** The versions of a secret in a vault (none: []). */
export async function versions(t, vault, secret) {
  const v = await sandboxVault(t, vault);
  return v.secrets.find((s) => s.name === secret)?.versions ?? [];
}

/** Every version of every secret in every vault, as `vault/name` → values. */
export async function allVersions(t) {
  const out = {};
  for (const v of (await t.sandbox.state()).vaults.vaults) {
    for (const s of v.secrets) out[`${v.name}/${s.name}`] = s.versions.map((x) => x.value);
  }
  return out;
}

/** What changed between two `allVersions()`: `vault/name` → the new values. */
export function added(before, after) {
  const out = {};
  for (const [k, vals] of Object.entries(after)) {
    const fresh = vals.slice((before[k] ?? []).length);
    if (fresh.length) out[k] = fresh;
  }
  return out;
}

/** Requests the page sent so far whose method matches and whose path passes `test`. */
export function sent(t, method, test) {
  return t.requests.filter((r) => r.method === method && test(new URL(r.url).pathname));
}
