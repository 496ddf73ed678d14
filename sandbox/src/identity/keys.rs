//! The sandbox's token-signing key: an RSA key generated once per process, published as a JWKS,
//! and used to sign and verify RS256 JWTs.

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// An RSA signing key with its key ID (`kid`).
#[derive(Clone)]
pub struct SigningKeys {
    private: RsaPrivateKey,
    public: RsaPublicKey,
    kid: String,
}

impl std::fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKeys")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// Why a compact JWS could not be verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwsError {
    /// Not three base64url parts, or a part is not JSON.
    Malformed,
    /// The header names an algorithm other than RS256.
    UnsupportedAlgorithm,
    /// The header's `kid` is not this key's.
    UnknownKey,
    /// The signature does not match the header and payload.
    BadSignature,
}

impl SigningKeys {
    /// A fresh 2048-bit key.
    pub fn generate() -> Self {
        let private =
            RsaPrivateKey::new(&mut rand::thread_rng(), 2048).expect("RSA key generation");
        let public = RsaPublicKey::from(&private);
        let digest = Sha256::digest(public.n().to_bytes_be());
        let kid = URL_SAFE_NO_PAD.encode(&digest[..20]);
        Self {
            private,
            public,
            kid,
        }
    }

    /// One key per process: every sandbox started in this process shares it, so tests that start
    /// many sandboxes do not pay for key generation each time.
    pub fn process_key() -> Self {
        static KEY: OnceLock<SigningKeys> = OnceLock::new();
        KEY.get_or_init(Self::generate).clone()
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The JSON Web Key Set served at `/{tenant}/discovery/v2.0/keys`.
    pub fn jwks(&self, issuer: &str) -> Value {
        json!({
            "keys": [{
                "kty": "RSA",
                "use": "sig",
                "alg": "RS256",
                "kid": self.kid,
                "n": URL_SAFE_NO_PAD.encode(self.public.n().to_bytes_be()),
                "e": URL_SAFE_NO_PAD.encode(self.public.e().to_bytes_be()),
                "issuer": issuer,
            }]
        })
    }

    /// Signs `claims` as a compact RS256 JWS with this key's `kid`.
    pub fn sign_jwt(&self, claims: &Value) -> String {
        self.sign_jwt_with_kid(claims, &self.kid)
    }

    /// Signs with this key but names `kid` in the header (tests use it to forge tokens that claim
    /// to come from the sandbox's key).
    pub fn sign_jwt_with_kid(&self, claims: &Value, kid: &str) -> String {
        let header = json!({"typ": "JWT", "alg": "RS256", "kid": kid});
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signer = SigningKey::<Sha256>::new(self.private.clone());
        let signature = signer.sign(signing_input.as_bytes()).to_vec();
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }

    /// Verifies a compact JWS signed by this key and returns its claims.
    pub fn verify_jwt(&self, token: &str) -> Result<Value, JwsError> {
        let mut parts = token.split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwsError::Malformed);
        };
        let header = decode_json(h)?;
        if header.get("alg").and_then(Value::as_str) != Some("RS256") {
            return Err(JwsError::UnsupportedAlgorithm);
        }
        if header.get("kid").and_then(Value::as_str) != Some(self.kid.as_str()) {
            return Err(JwsError::UnknownKey);
        }
        let sig_bytes = URL_SAFE_NO_PAD.decode(s).map_err(|_| JwsError::Malformed)?;
        let signature =
            Signature::try_from(sig_bytes.as_slice()).map_err(|_| JwsError::BadSignature)?;
        let verifier = VerifyingKey::<Sha256>::new(self.public.clone());
        let signing_input = &token[..h.len() + 1 + p.len()];
        verifier
            .verify(signing_input.as_bytes(), &signature)
            .map_err(|_| JwsError::BadSignature)?;
        decode_json(p)
    }
}

fn decode_json(part: &str) -> Result<Value, JwsError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| JwsError::Malformed)?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|_| JwsError::Malformed)?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(JwsError::Malformed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies_and_detects_tampering() {
        let keys = SigningKeys::process_key();
        let token = keys.sign_jwt(&json!({"sub": "x", "n": 1}));
        assert_eq!(keys.verify_jwt(&token).unwrap()["n"], 1);

        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(json!({"sub": "x", "n": 2}).to_string());
        parts[1] = &forged;
        assert_eq!(
            keys.verify_jwt(&parts.join(".")),
            Err(JwsError::BadSignature)
        );
        assert_eq!(keys.verify_jwt("a.b"), Err(JwsError::Malformed));
    }
}
