// Signing in and out through the sandbox's sign-in page, with the real MSAL.js in the app.

export const tests = [
  {
    name: 'Dev Dan signs in, sees his name and his apps, and signs out',
    async run(t) {
      const { page, expect } = t;
      await t.open('/');
      await expect.visible(page.getByRole('button', { name: 'Sign in', exact: true }));
      await t.signIn('dan');
      // The name comes from the sandbox's token, not from anything the app was told.
      await expect.visible(page.getByText('Dev Dan').first());
      await expect.visible(page.getByText('Payroll API').first());
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect.visible(page.getByRole('button', { name: 'Sign in', exact: true }), { timeout: 15_000 });
      await expect.hidden(page.getByText('Payroll API'));
    },
  },
];
