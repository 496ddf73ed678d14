//! The signed-in account, read from MSAL's `AccountInfo` (plain data, natively tested).

use serde_json::Value;

use crate::wire::{Members, Mismatch};

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
    /// Directory role template IDs from the ID token's `wids` claim: the tenant-wide built-in
    /// roles assigned to the user, present only when secret-wizard's registration sets
    /// `groupMembershipClaims` to `DirectoryRole` or `All` (access-token claims reference;
    /// azure-apis.md §7.2); empty otherwise. The wizard reads them as one source of "who may add
    /// a secret" (`domain::access`); MSAL hands them over in `idTokenClaims`.
    pub wids: Vec<String>,
}

impl Account {
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
#[derive(Default)]
pub struct AccountInfo {
    pub home_account_id: String,
    pub local_account_id: String,
    pub tenant_id: String,
    pub username: String,
    pub name: Option<String>,
    pub id_token_claims: Option<IdTokenClaims>,
}

#[derive(Default)]
pub struct IdTokenClaims {
    pub oid: Option<String>,
    pub tid: Option<String>,
    pub name: Option<String>,
    pub preferred_username: Option<String>,
    pub wids: Vec<String>,
}

impl AccountInfo {
    /// Reads `AccountInfo` from its JSON text with the app's one member reader
    /// ([`crate::wire::Members`]): a missing or `null` member counts as absent, a member of
    /// another type makes it unreadable (`None`), other members are ignored.
    pub fn from_json(json: &str) -> Option<AccountInfo> {
        let value: Value = serde_json::from_str(json).ok()?;
        Self::read(Members::of(&value).ok()?).ok()
    }

    fn read(m: Members<'_>) -> Result<AccountInfo, Mismatch> {
        Ok(AccountInfo {
            home_account_id: m.text("homeAccountId")?.unwrap_or_default(),
            local_account_id: m.text("localAccountId")?.unwrap_or_default(),
            tenant_id: m.text("tenantId")?.unwrap_or_default(),
            username: m.text("username")?.unwrap_or_default(),
            name: m.text("name")?,
            id_token_claims: m.object("idTokenClaims", IdTokenClaims::read)?,
        })
    }
}

impl IdTokenClaims {
    fn read(m: Members<'_>) -> Result<IdTokenClaims, Mismatch> {
        Ok(IdTokenClaims {
            oid: m.text("oid")?,
            tid: m.text("tid")?,
            name: m.text("name")?,
            preferred_username: m.text("preferred_username")?,
            wids: m.texts("wids")?.unwrap_or_default(),
        })
    }
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
        let info = AccountInfo::from_json(
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
        // Only the member template: no role that lets anyone add credentials.
        assert_eq!(a.wids, ["b79fbf4d-3ef9-4689-8143-76b194e85509"]);
        assert!(a
            .wids
            .iter()
            .all(|w| crate::domain::access::credential_role(w).is_none()));
    }

    #[test]
    fn falls_back_to_claims_and_keeps_wids() {
        let info = AccountInfo::from_json(
            r#"{"homeAccountId":"h","localAccountId":"local","username":"",
                "idTokenClaims":{"tid":"t","preferred_username":"ada@contoso.example",
                  "wids":["9B895D92-2CD3-44C7-9D02-A6AC2D5EA5C3"]}}"#,
        )
        .unwrap();
        let a = Account::from(info);
        assert_eq!(a.label(), "ada@contoso.example");
        assert_eq!(a.oid, "local");
        assert_eq!(a.tenant_id, "t");
        let role = crate::domain::access::credential_role(&a.wids[0]).unwrap();
        assert_eq!(role.name, "Application Administrator");
    }

    #[test]
    fn no_wids_claim_is_no_roles() {
        // A registration without groupMembershipClaims: the ID token has no `wids`.
        let info = AccountInfo::from_json(
            r#"{"homeAccountId":"h","localAccountId":"l","username":"gina@contoso.example",
                "idTokenClaims":{"oid":"o","name":"Gina Global"}}"#,
        )
        .unwrap();
        assert!(Account::from(info).wids.is_empty());
    }

    #[test]
    fn null_is_absent_and_a_wrong_type_is_unreadable() {
        let info = AccountInfo::from_json(
            r#"{"homeAccountId":"h","localAccountId":"l","username":"u","name":null,
                "tenantId":null,"idTokenClaims":{"name":"From claims","wids":null,"tid":"t"}}"#,
        )
        .unwrap();
        let a = Account::from(info);
        assert_eq!((a.label(), a.tenant_id.as_str()), ("From claims", "t"));
        assert!(a.wids.is_empty());
        for bad in [
            r#"{"homeAccountId":5}"#,
            r#"{"idTokenClaims":"x"}"#,
            r#"{"idTokenClaims":{"wids":["a",1]}}"#,
            r#"{"idTokenClaims":{"oid":{}}}"#,
            r#"[]"#,
            "null",
            "not json",
        ] {
            assert!(AccountInfo::from_json(bad).is_none(), "{bad}");
        }
        // Members the app doesn't read are ignored, whatever their type.
        assert!(
            AccountInfo::from_json(r#"{"environment":7,"idTokenClaims":{"nonce":[1]}}"#).is_some()
        );
    }
}
