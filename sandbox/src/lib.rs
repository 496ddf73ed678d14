//! The secret-wizard sandbox: a local stand-in for Entra ID (OAuth2 v2 + PKCE), Microsoft Graph,
//! Azure Resource Manager and the Key Vault data plane, with test hooks and fault injection.
//!
//! URL layout (docs/contracts.md): identity at `/{tenant}/…`, Graph at `/graph`, ARM at `/arm`,
//! Key Vault data plane at `/kv/{vault}`, test hooks at `/_sandbox`.
//!
//! Layering of every service router, outermost first: CORS (as the real service does it) →
//! service middleware (e.g. Graph's `request-id`) → fault injection → handlers. So an injected
//! 429 still carries the CORS headers a browser needs to read it.

use std::sync::{Arc, Mutex};

use axum::{middleware, Router};

pub mod arm;
pub mod cors;
pub mod faults;
pub mod graph;
pub mod hooks;
pub mod identity;
pub mod keyvault;
pub mod seed;
pub mod server;

pub use identity::personas::{CLIENT_ID, TENANT_ID};

/// Shared state of every handler.
pub type AppState = Arc<Sandbox>;

/// Start-up options (see `main.rs` for the flags).
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the sandbox is reachable, without a trailing slash: `http://127.0.0.1:8400`.
    pub base_url: String,
    /// Origins of the app; `{origin}/redirect.html` are the allowed redirect URIs, and the token
    /// endpoint answers CORS for exactly these origins.
    pub app_origins: Vec<String>,
    pub seed: seed::Seed,
    /// Whether the Key Vault data plane answers CORS (standing in for a same-origin gateway).
    pub kv_cors: bool,
    /// Lifetime of access tokens, in seconds.
    pub token_lifetime_secs: i64,
    /// What the tenant has consented to for secret-wizard at start-up (`reset` returns to it).
    pub consent: identity::consent::Consent,
    /// Put `wids` in ID and access tokens, as when secret-wizard's registration sets
    /// `groupMembershipClaims` (off by default, as on a fresh registration; `--wids`).
    pub wids: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:8400".into(),
            app_origins: vec!["http://127.0.0.1:8080".into()],
            seed: seed::Seed::Demo,
            kv_cors: false,
            token_lifetime_secs: 3600,
            consent: identity::consent::Consent::default(),
            wids: false,
        }
    }
}

impl Options {
    /// The redirect URIs secret-wizard's registration accepts.
    pub fn redirect_uris(&self) -> Vec<String> {
        self.app_origins
            .iter()
            .map(|o| format!("{o}/redirect.html"))
            .collect()
    }
}

/// The whole simulated cloud.
pub struct Sandbox {
    pub options: Options,
    pub keys: identity::keys::SigningKeys,
    /// The directory as Graph sees it: applications, credentials, owners, policy.
    pub graph: Mutex<graph::directory::GraphState>,
    /// Subscriptions, vaults, secrets and role assignments (owned by the ARM/Key Vault part).
    pub vaults: Mutex<arm::vaults::VaultState>,
    /// Authorization codes and refresh tokens in flight.
    pub identity: Mutex<identity::IdentityState>,
    /// What the tenant has consented to now (the test hook may change it).
    pub consent: Mutex<identity::consent::Consent>,
    pub faults: faults::FaultRegistry,
}

impl Sandbox {
    pub fn new(options: Options) -> Self {
        Self::with_keys(options, identity::keys::SigningKeys::process_key())
    }

    pub fn with_keys(options: Options, keys: identity::keys::SigningKeys) -> Self {
        let graph = graph::directory::GraphState::seed(&options.seed, chrono::Utc::now());
        let vaults = arm::vaults::VaultState::seed(&options.seed);
        Self {
            consent: Mutex::new(options.consent.clone()),
            options,
            keys,
            graph: Mutex::new(graph),
            vaults: Mutex::new(vaults),
            identity: Mutex::new(identity::IdentityState::default()),
            faults: faults::FaultRegistry::default(),
        }
    }

    /// What the tenant has consented to now.
    pub fn consent(&self) -> identity::consent::Consent {
        lock(&self.consent).clone()
    }

    /// Changes the consent (tokens already issued keep their `scp`).
    pub fn set_consent(&self, change: identity::consent::ConsentChange) -> Result<(), String> {
        lock(&self.consent).apply(change)
    }

    /// Back to the seed: directory and vaults re-seeded (relative to now), consent as at start-up,
    /// faults cleared.
    /// Issued tokens stay valid: the signing key does not change.
    pub fn reset(&self) {
        *lock(&self.graph) =
            graph::directory::GraphState::seed(&self.options.seed, chrono::Utc::now());
        *lock(&self.vaults) = arm::vaults::VaultState::seed(&self.options.seed);
        *lock(&self.consent) = self.options.consent.clone();
        self.faults.clear();
    }
}

/// Locks a mutex, recovering from poisoning (a panicking handler must not wedge the sandbox).
pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The whole sandbox as one router. Serve it with [`server::serve`]: fault injection's
/// `dropAfterAction` needs that server to close the connection without a response.
pub fn router(state: AppState) -> Router {
    let faults = || middleware::from_fn_with_state(state.clone(), faults::middleware);

    let identity = identity::router(&state).layer(faults());
    let graph = graph::router()
        .layer(faults())
        .layer(middleware::from_fn(graph::request_ids))
        .layer(cors::graph())
        .layer(middleware::from_fn(cors::fault_exposures));
    let arm = arm::router()
        .layer(faults())
        .layer(cors::arm())
        .layer(middleware::from_fn(cors::fault_exposures));
    let mut key_vault = keyvault::router().layer(faults());
    if state.options.kv_cors {
        key_vault = key_vault.layer(cors::key_vault());
    }

    Router::new()
        .merge(identity)
        .nest("/graph", graph)
        .nest("/arm", arm)
        .nest("/kv/{vault}", key_vault)
        .nest("/_sandbox", hooks::router())
        .with_state(state)
}
