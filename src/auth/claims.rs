//! What the app reads from its own access tokens: the `scp` claim, the delegated permissions an
//! admin granted for that resource (a token asked for with `{resource}/.default` carries exactly
//! those; ../shared/docs/azure-apis.md §7.1, access-token claims reference). The token is not
//! verified here (the service it is for does that); it is only read, to tell an operator what
//! was granted. Plain data, natively tested.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The claims the app reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenClaims {
    /// Space-separated permission names.
    pub scp: String,
    pub aud: String,
}

impl TokenClaims {
    /// The granted permissions, one by one.
    pub fn scopes(&self) -> Vec<&str> {
        self.scp.split_whitespace().collect()
    }

    /// Whether `permission` was granted (names compare without case, as Entra's do).
    pub fn grants(&self, permission: &str) -> bool {
        self.scopes()
            .iter()
            .any(|s| s.eq_ignore_ascii_case(permission))
    }
}

/// The claims of a JWT's payload (`header.payload.signature`), or `None` when it isn't one.
pub fn read_claims(jwt: &str) -> Option<TokenClaims> {
    let mut parts = jwt.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let json = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    // Read with the app's one member reader (as text: a slice reader would be a second copy of
    // serde_json's). A missing or `null` claim is empty; one of another type, no claims.
    let value: serde_json::Value = serde_json::from_str(std::str::from_utf8(&json).ok()?).ok()?;
    let m = crate::wire::Members::of(&value).ok()?;
    Some(TokenClaims {
        scp: m.text("scp").ok()?.unwrap_or_default(),
        aud: m.text("aud").ok()?.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        format!(
            "eyJhbGciOiJSUzI1NiJ9.{}.c2ln",
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn reads_scp_and_aud_and_nothing_from_what_is_not_a_jwt() {
        let c = read_claims(&jwt(
            r#"{"aud":"https://graph.microsoft.com","scp":"Application.ReadWrite.All User.Read","oid":"x"}"#,
        ))
        .unwrap();
        assert_eq!(c.aud, "https://graph.microsoft.com");
        assert_eq!(c.scopes(), ["Application.ReadWrite.All", "User.Read"]);
        assert!(c.grants("user.read"));
        assert!(!c.grants("Policy.Read.All"));
        // No scp (an app-only token): nothing granted, not an error.
        assert_eq!(
            read_claims(&jwt(r#"{"aud":"x"}"#)).unwrap().scopes().len(),
            0
        );
        assert_eq!(read_claims("not a token"), None);
        assert_eq!(read_claims("a.b"), None);
        assert_eq!(read_claims("a.!!!.c"), None);
        assert_eq!(read_claims(&format!("{}.d", jwt("{}"))), None);
        assert_eq!(read_claims(&jwt("[1,2]")), None);
        assert_eq!(read_claims(&jwt(r#"{"scp":5}"#)), None);
        assert_eq!(
            read_claims(&jwt(r#"{"scp":null,"aud":"a","roles":[1]}"#)).unwrap(),
            TokenClaims {
                scp: String::new(),
                aud: "a".into()
            }
        );
    }
}
