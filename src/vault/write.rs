//! What is written next to the value: the tags that tie the vault secret to its credential,
//! the dates and the content type, from the [`StoreContext`] the Show-once step lends.

use crate::domain::tags::{credential_tags, StoredCredential};
use crate::domain::vault_write::VaultSecretWrite;
use crate::domain::SecretValue;
use crate::graph::PasswordCredential;

/// Content type of stored client secrets (one definition, in the domain).
pub use crate::domain::vault_write::CLIENT_SECRET_CONTENT_TYPE as CONTENT_TYPE;

/// What a push needs that only the Show-once step has. Borrowed for one update; never kept.
pub struct StoreContext<'a> {
    pub secret: &'a SecretValue,
    pub credential: &'a PasswordCredential,
    pub app_display_name: &'a str,
    pub client_id: &'a str,
    pub app_object_id: &'a str,
    /// The signed-in user's UPN.
    pub created_by: &'a str,
    /// The value is a certificate credential's PEM (`domain::certificate`): its thumbprint.
    pub certificate_thumbprint: Option<&'a str>,
}

/// Tags, attributes and content type for the credential (no value).
pub fn secret_write(ctx: &StoreContext<'_>) -> VaultSecretWrite {
    let c = ctx.credential;
    let validity_days = match (c.start_date_time, c.end_date_time) {
        (Some(s), Some(e)) => u32::try_from((e - s).num_days()).unwrap_or(0),
        _ => 0,
    };
    let tags = credential_tags(&StoredCredential {
        app_display_name: ctx.app_display_name,
        client_id: ctx.client_id,
        app_object_id: ctx.app_object_id,
        credential_id: &c.key_id,
        validity_days,
        created_by: ctx.created_by,
    });
    let mut write = match (c.start_date_time, c.end_date_time) {
        (Some(s), Some(e)) => VaultSecretWrite::for_client_secret(tags, s, e),
        _ => VaultSecretWrite {
            tags,
            ..VaultSecretWrite::default()
        },
    };
    // A credential without dates still gets what it has (Graph always sends both).
    write.attributes.enabled = Some(true);
    write.attributes.not_before = c.start_date_time;
    write.attributes.expires = c.end_date_time;
    write.content_type = Some(CONTENT_TYPE.into());
    if let Some(thumbprint) = ctx.certificate_thumbprint {
        // A PEM (private key and certificate): its content type, and the thumbprint beside
        // the tags a secret gets, so the vault says which certificate it is.
        write.content_type = Some(crate::domain::certificate::PEM_CONTENT_TYPE.into());
        write.tags.insert(
            crate::domain::tags::THUMBPRINT_TAG.into(),
            thumbprint.into(),
        );
    }
    write
}
