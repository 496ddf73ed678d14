// A broken or missing config.json: the page says what is wrong instead of failing silently.

const valid = {
  tenantId: '8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d',
  clientId: '5b0c6a1e-2f3d-4e5a-8b7c-9d0e1f2a3b4c',
  cloud: 'public',
};

/** Serves `body` with `status` for config.json, then opens the app. */
async function openWith(t, status, body) {
  await t.page.route('**/config.json', (route) =>
    route.fulfill({ status, contentType: 'application/json', body }),
  );
  await t.open('/');
}

export const tests = [
  {
    name: 'a config.json without clientId names the missing field',
    async run(t) {
      const { clientId, ...withoutClient } = valid;
      t.expect.ok(clientId);
      await openWith(t, 200, JSON.stringify(withoutClient));
      const text = await t.expect.text(t.page.getByRole('alert'), 'clientId');
      t.expect.includes(text, 'config.json');
      await t.expect.hidden(t.page.getByRole('button', { name: 'Sign in', exact: true }));
    },
  },
  {
    name: 'a config.json that is not JSON says so',
    async run(t) {
      await openWith(t, 200, '{ "tenantId": "8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d", ');
      await t.expect.text(t.page.getByRole('alert'), 'config.json');
      await t.expect.hidden(t.page.getByRole('button', { name: 'Sign in', exact: true }));
    },
  },
  {
    name: 'a missing config.json (404) says the site is not configured',
    async run(t) {
      // The browser itself logs every failed fetch as a console error; that one is expected.
      t.allowConsoleError(/Failed to load resource: .*404/);
      await openWith(t, 404, 'Not found');
      await t.expect.text(t.page.getByRole('alert'), 'config.json');
      await t.expect.hidden(t.page.getByRole('button', { name: 'Sign in', exact: true }));
    },
  },
];
