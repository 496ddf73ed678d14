// Where the value may go: through a gateway the chosen vault is the one
// written to, and a gateway that writes elsewhere is refused with the reason; a redirect from a
// vault write is never followed, so its body (the value) never reaches another origin.
import { createAndStore, dataPlaneThroughGateway, readyToCreateIn, refusedButKept, storedAs, storeThroughArm } from './lib/steps.mjs';
import { added, allVersions, sent } from './lib/records.mjs';
import { allowLoadErrors } from './lib/checks.mjs';

const DEV = 'kv-contoso-dev';
const PROD = 'kv-contoso-prod';
const NAME = 'payroll-api-client-secret';

const gatewayPut = (vault) => (p) => p === `/kv-gateway/${vault}/secrets/${NAME}`;

export const tests = [
  {
    name: 'gateway mode: Ada chooses kv-contoso-prod, the gateway is asked for kv-contoso-prod, and the secret is stored there only',
    timeout: 60_000,
    async run(t) {
      const { expect } = t;
      allowLoadErrors(t);
      await dataPlaneThroughGateway(t);
      const { before, stored } = await readyToCreateIn(t, PROD, 'ada');
      const { value } = await createAndStore(t, before);
      await storedAs(t, PROD, NAME);
      expect.equal(
        JSON.stringify(added(stored, await allVersions(t))),
        JSON.stringify({ [`${PROD}/${NAME}`]: [value] }),
        'exactly one new version, in the vault chosen, none in any other',
      );
      expect.equal(sent(t, 'PUT', gatewayPut(PROD)).length, 1, 'the write named kv-contoso-prod in the gateway path');
      expect.equal(sent(t, 'PUT', (p) => p.startsWith('/kv-gateway/') && !gatewayPut(PROD)(p)).length, 0, 'no write named another vault');
      await expect.text(t.page.getByTestId('stored-uri'), `/kv/${PROD}/secrets/${NAME}/`);
      await t.hygiene(value, { allowKeyVaultWrite: true, expectKeyVaultWrites: 1 });
    },
  },
  {
    name: 'gateway mode: a gateway that writes to its own vault whatever the path says is refused with the reason, then ARM stores it where chosen',
    timeout: 60_000,
    async run(t) {
      const { page, expect } = t;
      allowLoadErrors(t);
      // A gateway built before the vault was part of the path: everything goes to kv-contoso-dev.
      await dataPlaneThroughGateway(t, { fixedVault: DEV });
      const { before, stored } = await readyToCreateIn(t, PROD, 'ada');
      const { value } = await createAndStore(t, before);
      await refusedButKept(t, value, [
        `The Key Vault gateway stored the secret in ${DEV} (as "${NAME}"), not in ${PROD}.`,
        'Tell your administrator that the gateway (vault.gateway in config.json) wrote elsewhere',
        `Whoever can read ${DEV} can read this secret`,
      ]);
      await expect.hidden(page.getByTestId('stored'));
      expect.equal(
        JSON.stringify(added(stored, await allVersions(t))),
        JSON.stringify({ [`${DEV}/${NAME}`]: [value] }),
        'the broken gateway wrote to kv-contoso-dev (as the page says), nothing reached kv-contoso-prod',
      );
      await storeThroughArm(t);
      await storedAs(t, PROD, NAME);
      const fresh = added(stored, await allVersions(t));
      expect.equal(JSON.stringify(fresh[`${PROD}/${NAME}`]), JSON.stringify([value]), 'then stored once in kv-contoso-prod');
      await t.hygiene(value, { allowKeyVaultWrite: 2, expectKeyVaultWrites: 2 });
    },
  },
  {
    name: 'a 307 redirect from the vault write is not followed: the page says it was not stored and the other origin receives nothing',
    timeout: 60_000,
    async run(t) {
      const { expect } = t;
      allowLoadErrors(t);
      t.allowConsoleError(/redirect/i);
      const stolen = `${t.app}/collect-by-redirect`;
      const { before, stored } = await readyToCreateIn(t, DEV);
      // ARM (or anything in front of it) answers the PUT with a redirect to another origin; a
      // followed 307 resends the method and body, the value included (Fetch standard, "HTTP-redirect fetch").
      await t.sandbox.fault({
        method: 'PUT', path: `/arm/subscriptions/*/resourceGroups/*/providers/Microsoft.KeyVault/vaults/${DEV}/secrets/*`,
        status: 307, headers: { Location: stolen },
      });
      const { value } = await createAndStore(t, before);
      await refusedButKept(t, value, ['it was not stored']);
      expect.equal(
        t.requests.filter((r) => r.url.startsWith(stolen)).length, 0,
        'nothing was sent to the redirect target',
      );
      expect.equal(JSON.stringify(added(stored, await allVersions(t))), '{}', 'no vault version was written');
      expect.equal(sent(t, 'PUT', (p) => /\/secrets\/[^/]+$/.test(p)).length, 1, 'one PUT, to ARM, not resent');
      await t.hygiene(value, { allowKeyVaultWrite: true, expectKeyVaultWrites: 1 });
    },
  },
];
