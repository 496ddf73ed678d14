//! Pure rules, no I/O and no browser types: the secret value's owner type, expiry status and
//! its words, lifetime presets and policy checks, the default description, Key Vault naming,
//! the tags written on a stored secret, and the rotation plan.
//!
//! [`policy`] says what an organisation's app management policy means for a new secret
//! (blocked, or a longest lifetime), from what the policy states and nothing else.
//!
//! [`clipboard`] says when to clear the clipboard after the value was copied, and what to tell
//! the user where the browser won't let the page check it (a fingerprint, never the value).
//!
//! [`access`] decides, before trying, whether the signed-in user may add a secret to an app
//! (owner, a role that grants `applications/credentials/update`, or "probably not").
//!
//! [`SecretValue`] is the single owner of a client secret's value (redacted `Debug`, zeroised
//! on drop, never `Clone`). [`expiry`] turns end dates into [`ExpiryStatus`] badges and
//! "Expires in 20 days (12 Dec 2026)" phrases. [`lifetime::validate`] turns a preset or custom
//! date into the `endDateTime` to send. [`naming`] builds and checks secret and vault names,
//! [`tags`] builds the vault tags, and [`rotation`] says which secrets still work, how risky a
//! removal is, and the order of a rotation; [`removal`] says what removing any one secret does
//! (the last working one warns); [`renewal`] names what a renewal of many at once wrote (the
//! new secret's description and its vault version's tags), so a run can be resumed from them.
//! [`vault_write`] holds what is stored next to a
//! secret's value in Key Vault (content type, tags, attributes). Every function takes `now` as
//! a parameter: pass it in the user's time zone where calendar days matter.
//!
//! [`federated`] is the federated identity credential's templates (issuer and subject from what
//! a developer knows), the checks before sending, the audience per cloud and the snippets.
//!
//! [`certificate`] builds the certificate credential's self-signed X.509 certificate, its PEM
//! (a [`SecretValue`]) and thumbprint, and the code that signs in with it.

pub mod access;
pub mod certificate;
pub mod clipboard;
pub mod description;
pub mod expiry;
pub mod federated;
pub mod lifetime;
pub mod naming;
pub mod policy;
pub mod removal;
pub mod renewal;
pub mod rotation;
pub mod secret;
pub mod snippets;
pub mod tags;
pub mod vault_write;

pub use expiry::ExpiryStatus;
pub use secret::SecretValue;
