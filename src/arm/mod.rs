//! Sans-IO Azure Resource Manager client: subscriptions, vaults, permissions, vaults/secrets.
