//! Sans-IO Key Vault data-plane client (gateway mode).
