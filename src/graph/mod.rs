//! Sans-IO Microsoft Graph client: who is signed in, applications, owners, addPassword,
//! removePassword, role assignments (`roles`, with the optional `RoleManagement.Read.Directory`),
//! and (with the optional `Policy.Read.All`) app management policies
//! ([`policy`]), service principals by name ([`service_principals`]: a workload's identity), and
//! certificates ([`key_credentials`]: read with their `key`, written back as a whole collection).
//!
//! Builders ([`requests`]) take the Graph base URL from config and return an
//! [`HttpRequest`](crate::net::HttpRequest) for `Resource::Graph`; the executor sends it, and the
//! matching parser ([`parse`]) turns the [`HttpResponse`](crate::net::HttpResponse) into a typed
//! value or a [`GraphError`]. `GraphError::user_message()` is the text a user reads (with the
//! remedy, per docs/ux.md) and `details()` the "code · request-id" line. A new secret's value
//! only ever exists inside [`CreatedPassword::secret`], a
//! [`SecretValue`](crate::domain::SecretValue). Lists are paged: repeat with
//! [`next_page`] while [`Page::next_link`] is set. The objects read ([`Application`],
//! [`PasswordCredential`], [`Owner`], role assignments, policies) are [`crate::model`]'s,
//! re-exported here; the helpers every client shares (`parse_json`, `next_page`, …) are
//! [`crate::wire`]'s. An app's federated identity credentials (list, create, delete) are in
//! [`federated`].

pub mod audit;
mod error;
pub mod federated;
pub mod key_credentials;
mod messages;
pub mod owners;
mod parse;
pub mod policy;
mod read;
mod requests;
mod roles;
pub mod service_principals;
mod types;

#[cfg(test)]
mod tests;

pub use error::{GraphError, GraphErrorInfo};
pub use parse::{
    parse_add_password, parse_application, parse_application_page, parse_me, parse_owners,
    parse_remove_password,
};
pub use requests::{
    add_password, get_application, get_application_by_app_id, graph_timestamp, is_guid,
    list_applications, me, my_applications, overview_applications, owned_application_ids, owners,
    remove_password, AppQuery, APP_PAGE_SIZE, APP_SELECT, LIST_SELECT, OVERVIEW_PAGE_SIZE,
    OVERVIEW_SELECT,
};
pub use roles::{
    my_group_ids, parse_object_ids, parse_role_assignments, principal_chunks, role_assignments_of,
    ObjectId, PRINCIPALS_PER_REQUEST,
};
pub use types::{CreatedPassword, Me, Page, User};
// The directory objects are the shared model's; named here too so callers need one import.
pub use crate::model::{
    Application, FederatedIdentityCredential, KeyCredential, NewPassword, Owner,
    PasswordCredential, RoleAssignment, RoleDefinition, RolePermission,
};
// Shared with ARM (one helper, crate::wire).
pub use crate::wire::next_page;
