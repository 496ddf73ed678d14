//! The signed-in account, read from MSAL's `AccountInfo` (plain data, natively tested).

use serde::Deserialize;

use crate::graph::{APPLICATION_ADMINISTRATOR, CLOUD_APPLICATION_ADMINISTRATOR};

/// Who is signed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// Display name ("Dev Dan").
    pub name: String,
    /// The UPN (`preferred_username`).
    pub username: String,
    /// MSAL's key for the account (`{oid}.{tid}`, or `sub` without client_info).
    pub home_account_id: String,
    pub tenant_id: String,
    /// The user's object ID.
    pub oid: String,
    /// Directory role template IDs from the ID token (`wids`), when the tenant emits them.
    pub wids: Vec<String>,
}

impl Account {
    /// True when the ID token says the user is an Application or Cloud Application Administrator.
    pub fn is_app_admin(&self) -> bool {
        self.wids.iter().any(|w| {
            w.eq_ignore_ascii_case(APPLICATION_ADMINISTRATOR)
                || w.eq_ignore_ascii_case(CLOUD_APPLICATION_ADMINISTRATOR)
        })
    }

    /// "Dev Dan", or the UPN when there is no name.
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            &self.username
        } else {
            &self.name
        }
    }
}

/// The fields of MSAL's `AccountInfo` the app reads (unknown ones are ignored).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct AccountInfo {
    pub home_account_id: String,
    pub local_account_id: String,
    pub tenant_id: String,
    pub username: String,
    pub name: Option<String>,
    pub id_token_claims: Option<IdTokenClaims>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct IdTokenClaims {
    pub oid: Option<String>,
    pub tid: Option<String>,
    pub name: Option<String>,
    pub preferred_username: Option<String>,
    pub wids: Vec<String>,
}

impl From<AccountInfo> for Account {
    fn from(info: AccountInfo) -> Self {
        let claims = info.id_token_claims.unwrap_or_default();
        let name = info.name.or(claims.name).unwrap_or_default();
        let username = if info.username.is_empty() {
            claims.preferred_username.unwrap_or_default()
        } else {
            info.username
        };
        let oid = claims
            .oid
            .filter(|s| !s.is_empty())
            .unwrap_or(info.local_account_id);
        let tenant_id = if info.tenant_id.is_empty() {
            claims.tid.unwrap_or_default()
        } else {
            info.tenant_id
        };
        Account {
            name,
            username,
            home_account_id: info.home_account_id,
            tenant_id,
            oid,
            wids: claims.wids,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_msal_account_info() {
        let info: AccountInfo = serde_json::from_str(
            r#"{"homeAccountId":"d0d0.8d2c","environment":"login.sandbox.localhost",
                "tenantId":"8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d","username":"dan@contoso.example",
                "localAccountId":"d0d0d0d0-0000-4000-8000-00000000da11","name":"Dev Dan",
                "idTokenClaims":{"oid":"d0d0d0d0-0000-4000-8000-00000000da11",
                  "wids":["b79fbf4d-3ef9-4689-8143-76b194e85509"],"nonce":"x"}}"#,
        )
        .unwrap();
        let a = Account::from(info);
        assert_eq!(a.label(), "Dev Dan");
        assert_eq!(a.username, "dan@contoso.example");
        assert_eq!(a.oid, "d0d0d0d0-0000-4000-8000-00000000da11");
        assert_eq!(a.tenant_id, "8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d");
        assert!(!a.is_app_admin());
    }

    #[test]
    fn falls_back_to_claims_and_spots_admins() {
        let info: AccountInfo = serde_json::from_str(
            r#"{"homeAccountId":"h","localAccountId":"local","username":"",
                "idTokenClaims":{"tid":"t","preferred_username":"ada@contoso.example",
                  "wids":["9B895D92-2CD3-44C7-9D02-A6AC2D5EA5C3"]}}"#,
        )
        .unwrap();
        let a = Account::from(info);
        assert_eq!(a.label(), "ada@contoso.example");
        assert_eq!(a.oid, "local");
        assert_eq!(a.tenant_id, "t");
        assert!(a.is_app_admin());
    }
}
