//! The certificate credential, pure: the self-signed X.509 v3 certificate whose private key
//! nobody sees. The browser (`crate::webcrypto`) makes the RSA key pair and signs; this module
//! builds everything in between with RustCrypto's maintained DER and X.509 types (`x509-cert`,
//! `der`, `spki`), never hand-written ASN.1:
//!
//! 1. [`CertificatePlan::to_be_signed`]: the `TBSCertificate` (RFC 5280 §4.1) from the public key
//!    WebCrypto exported (`spki`), a random serial, the validity, subject = issuer (self-signed),
//!    and the extensions a client-authentication certificate carries;
//! 2. WebCrypto signs those bytes with RSASSA-PKCS1-v1_5 / SHA-256;
//! 3. [`ToBeSigned::assemble`]: the `Certificate` from the TBS and the signature, encoded only
//!    (nothing is decoded in the browser: a DER decoder for the whole certificate is most of
//!    these crates' size in the wasm; [`assemble`] and [`MadeCertificate::read`] read it back,
//!    for the tests and for anyone checking a certificate);
//! 4. [`pem`]: the PEM the vault stores (the PKCS#8 private key, then the certificate) as a
//!    zeroising [`SecretValue`]: the private key exists nowhere else;
//! 5. [`thumbprint`]: SHA-1 of the certificate's DER, hexadecimal upper case, as the Entra admin
//!    center and `Get-PfxCertificate` show it. Graph's `customKeyIdentifier` is "the
//!    certificate thumbprint" in that form (graph-docs `keycredential.md`: "A 40-character
//!    binary type … defaults to the thumbprint"; the "Add a certificate to an app using
//!    Microsoft Graph" how-to sends `"customKeyIdentifier": "BB5D1064…B10A"`).
//!
//! The code that loads the PEM from Key Vault, one snippet per language, is [`snippets`].

use chrono::{DateTime, Datelike, Utc};
use der::asn1::{BitString, GeneralizedTime, OctetString, UtcTime, Utf8StringRef};
use der::oid::{AssociatedOid, ObjectIdentifier};
use der::{Any, Decode, Encode};
use sha1::{Digest, Sha1};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::certificate::{Certificate, TbsCertificate, Version};
use x509_cert::ext::pkix::{
    BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::ext::Extension;
use x509_cert::name::{RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};
use zeroize::Zeroizing;

use super::SecretValue;

pub mod snippets;

/// `sha256WithRSAEncryption` (RFC 4055 §5; RFC 8017 appendix C): what WebCrypto's
/// RSASSA-PKCS1-v1_5 with SHA-256 produces. Its parameters are NULL (RFC 4055 §5).
pub const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
/// `rsaEncryption` (RFC 8017 appendix C): the algorithm of the public key WebCrypto exports.
pub const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// `id-at-commonName` (RFC 5280 appendix A.1).
const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
/// `id-kp-clientAuth` (RFC 5280 §4.2.1.12): TLS WWW client authentication.
pub const CLIENT_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2");

/// The RSA key sizes offered (bits). 2048 is the minimum Microsoft's certificate credential
/// guidance accepts; 3072 for a longer life.
pub const KEY_SIZES: [u32; 2] = [2048, 3072];

/// Key Vault's content type for a PEM secret: what the issue and Key Vault's own PEM
/// certificates use, so `az keyvault secret download` and the SDKs know what they hold.
pub const PEM_CONTENT_TYPE: &str = "application/x-pem-file";

/// `type` and `usage` of a certificate key credential (graph-docs `keycredential.md`; the
/// "Add a certificate" how-to: "must be `AsymmetricX509Cert` and `Verify`").
pub const KEY_TYPE: &str = "AsymmetricX509Cert";
pub const KEY_USAGE: &str = "Verify";

/// Why a certificate could not be built: an input WebCrypto gave is not what was asked for, or
/// a value DER can't hold. Carries no key material.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertError {
    /// The exported public key isn't an RSA SubjectPublicKeyInfo.
    PublicKey(String),
    /// A field DER refused (subject too long, a date outside X.509's range, …).
    Encoding(String),
    /// The signature wasn't for the key (the assembled certificate didn't read back).
    Signature,
}

impl CertError {
    /// In words, with what to do.
    pub fn user_message(&self) -> String {
        match self {
            CertError::PublicKey(why) => format!(
                "The browser gave a public key the certificate can't use ({why}). Try again, \
                 or use another browser."
            ),
            CertError::Encoding(why) => format!(
                "The certificate couldn't be built ({why}). Shorten the subject name or pick \
                 another lifetime."
            ),
            CertError::Signature => {
                "The browser's signature didn't fit the certificate. Try again.".into()
            }
        }
    }
}

/// DER's own error text is left out: its formatting code would ship in the wasm for a message
/// no user can act on.
fn enc(_: der::Error) -> CertError {
    CertError::Encoding("a value X.509 can't hold".into())
}

/// What the certificate will say, chosen before the key exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificatePlan {
    /// The common name (subject and issuer, `CN=<this>`).
    pub common_name: String,
    /// 16 random bytes (RFC 5280 §4.1.2.2: positive, unique per issuer, at most 20 octets).
    pub serial: [u8; 16],
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

/// The default common name for an app's certificate: its display name, within the 64
/// characters RFC 5280's `ub-common-name` allows.
pub fn default_common_name(app_display_name: &str) -> String {
    let name = app_display_name.trim();
    let name = if name.is_empty() {
        "secret-wizard"
    } else {
        name
    };
    name.chars().take(UB_COMMON_NAME).collect()
}

/// `ub-common-name` (RFC 5280 appendix A.1).
pub const UB_COMMON_NAME: usize = 64;

/// Checks a subject common name: 1 to 64 characters, no control characters.
pub fn check_common_name(name: &str) -> Result<(), String> {
    let n = name.trim().chars().count();
    if n == 0 {
        return Err("Enter a subject name, for example the app's name.".into());
    }
    if n > UB_COMMON_NAME {
        return Err(format!(
            "The subject name is {n} characters long; X.509 allows at most {UB_COMMON_NAME}."
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("Remove the line breaks or tabs from the subject name.".into());
    }
    Ok(())
}

/// RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 on.
fn x509_time(t: DateTime<Utc>) -> Result<Time, CertError> {
    let secs = u64::try_from(t.timestamp())
        .map_err(|_| CertError::Encoding("a date before 1970".into()))?;
    let d = core::time::Duration::from_secs(secs);
    Ok(if t.year() < 2050 {
        Time::UtcTime(UtcTime::from_unix_duration(d).map_err(enc)?)
    } else {
        Time::GeneralTime(GeneralizedTime::from_unix_duration(d).map_err(enc)?)
    })
}

/// `CN=<name>` as a UTF8String (RFC 5280 §4.1.2.4: new certificates use UTF8String).
fn name(common_name: &str) -> Result<RdnSequence, CertError> {
    let value =
        Any::encode_from(&Utf8StringRef::new(common_name.trim()).map_err(enc)?).map_err(enc)?;
    let atv = AttributeTypeAndValue {
        oid: COMMON_NAME,
        value,
    };
    let rdn = RelativeDistinguishedName(der::asn1::SetOfVec::try_from(vec![atv]).map_err(enc)?);
    Ok(RdnSequence(vec![rdn]))
}

fn extension<T: AssociatedOid + Encode>(value: &T, critical: bool) -> Result<Extension, CertError> {
    Ok(Extension {
        extn_id: T::OID,
        critical,
        extn_value: OctetString::new(value.to_der().map_err(enc)?).map_err(enc)?,
    })
}

/// The signature algorithm of the TBS and of the certificate: sha256WithRSAEncryption, NULL
/// parameters (RFC 4055 §5).
fn sha256_with_rsa() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: SHA256_WITH_RSA,
        parameters: Some(Any::null()),
    }
}

impl CertificatePlan {
    /// The `TBSCertificate`'s DER, the bytes WebCrypto signs. `spki` is WebCrypto's
    /// `exportKey("spki", publicKey)`.
    ///
    /// Extensions (RFC 5280 §4.2.1): basicConstraints cA FALSE, critical (§4.2.1.9: an
    /// end-entity certificate); keyUsage digitalSignature, critical (§4.2.1.3: the key signs the
    /// client assertion, RFC 7523 / Microsoft's "certificate credentials" page); extKeyUsage
    /// id-kp-clientAuth (§4.2.1.12); subjectKeyIdentifier, SHA-1 of the subjectPublicKey bits
    /// (§4.2.1.2 method 1).
    pub fn tbs_der(&self, spki: &[u8]) -> Result<Vec<u8>, CertError> {
        self.to_be_signed(spki).map(|t| t.der)
    }

    /// The `TBSCertificate`, as a value and as the DER bytes WebCrypto signs.
    pub fn to_be_signed(&self, spki: &[u8]) -> Result<ToBeSigned, CertError> {
        check_common_name(&self.common_name).map_err(CertError::Encoding)?;
        let spki = SubjectPublicKeyInfoOwned::from_der(spki)
            .map_err(|_| CertError::PublicKey("not a SubjectPublicKeyInfo".into()))?;
        if spki.algorithm.oid != RSA_ENCRYPTION {
            return Err(CertError::PublicKey(format!(
                "algorithm {}, not RSA",
                spki.algorithm.oid
            )));
        }
        if self.not_after <= self.not_before {
            return Err(CertError::Encoding("it would end before it starts".into()));
        }
        let key_id = Sha1::digest(spki.subject_public_key.raw_bytes());
        let extensions = vec![
            extension(
                &BasicConstraints {
                    ca: false,
                    path_len_constraint: None,
                },
                true,
            )?,
            extension(&KeyUsage(KeyUsages::DigitalSignature.into()), true)?,
            extension(&ExtendedKeyUsage(vec![CLIENT_AUTH]), false)?,
            extension(
                &SubjectKeyIdentifier(OctetString::new(key_id.to_vec()).map_err(enc)?),
                false,
            )?,
        ];
        let mut serial = self.serial;
        serial[0] &= 0x7f; // positive
        serial[0] |= 0x40; // and no leading zero to strip: always 16 octets
        let subject = name(&self.common_name)?;
        let tbs = TbsCertificate {
            version: Version::V3,
            serial_number: SerialNumber::new(&serial).map_err(enc)?,
            signature: sha256_with_rsa(),
            issuer: subject.clone(),
            validity: Validity {
                not_before: x509_time(self.not_before)?,
                not_after: x509_time(self.not_after)?,
            },
            subject,
            subject_public_key_info: spki,
            issuer_unique_id: None,
            subject_unique_id: None,
            extensions: Some(extensions),
        };
        let der = tbs.to_der().map_err(enc)?;
        Ok(ToBeSigned {
            tbs,
            der,
            subject: format!("CN={}", self.common_name.trim()),
            not_before: self.not_before,
            not_after: self.not_after,
        })
    }
}

/// A `TBSCertificate` waiting for its signature.
#[derive(Clone, Debug)]
pub struct ToBeSigned {
    tbs: TbsCertificate,
    /// What WebCrypto signs.
    pub der: Vec<u8>,
    subject: String,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
}

impl ToBeSigned {
    /// The certificate from WebCrypto's signature over [`ToBeSigned::der`] (RFC 5280 §4.1.1),
    /// and what it says, from the plan it was built from (nothing is decoded).
    pub fn assemble(self, signature: &[u8]) -> Result<MadeCertificate, CertError> {
        if signature.is_empty() {
            return Err(CertError::Signature);
        }
        let cert = Certificate {
            tbs_certificate: self.tbs,
            signature_algorithm: sha256_with_rsa(),
            signature: BitString::from_bytes(signature).map_err(|_| CertError::Signature)?,
        };
        let der = cert.to_der().map_err(enc)?;
        Ok(MadeCertificate {
            thumbprint: thumbprint(&der),
            der,
            subject: self.subject,
            not_before: self.not_before,
            not_after: self.not_after,
        })
    }
}

/// The certificate's DER: the signed TBS, the algorithm and WebCrypto's signature
/// (RFC 5280 §4.1.1). The result is read back whole before it is returned.
pub fn assemble(tbs_der: &[u8], signature: &[u8]) -> Result<Vec<u8>, CertError> {
    let tbs_certificate = TbsCertificate::from_der(tbs_der).map_err(enc)?;
    if signature.is_empty() {
        return Err(CertError::Signature);
    }
    let cert = Certificate {
        tbs_certificate,
        signature_algorithm: sha256_with_rsa(),
        signature: BitString::from_bytes(signature).map_err(|_| CertError::Signature)?,
    };
    let der = cert.to_der().map_err(enc)?;
    Certificate::from_der(&der).map_err(|_| CertError::Signature)?;
    Ok(der)
}

/// SHA-1 of the certificate's DER in upper-case hexadecimal: the thumbprint the portal shows,
/// and what `customKeyIdentifier` carries.
pub fn thumbprint(cert_der: &[u8]) -> String {
    Sha1::digest(cert_der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// What was made, without the private key: what Graph gets and Done shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MadeCertificate {
    pub der: Vec<u8>,
    pub thumbprint: String,
    /// `CN=<common name>`: the credential's `displayName`, as the how-to does.
    pub subject: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

impl MadeCertificate {
    /// Reads back an assembled certificate: its thumbprint, subject and validity.
    pub fn read(der: Vec<u8>) -> Result<Self, CertError> {
        let cert = Certificate::from_der(&der).map_err(enc)?;
        let tbs = &cert.tbs_certificate;
        let when = |t: Time| {
            let secs = i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
            DateTime::from_timestamp(secs, 0)
                .ok_or_else(|| CertError::Encoding("a date out of range".into()))
        };
        Ok(Self {
            thumbprint: thumbprint(&der),
            subject: tbs.subject.to_string(),
            not_before: when(tbs.validity.not_before)?,
            not_after: when(tbs.validity.not_after)?,
            der,
        })
    }

    /// Graph's `key`: the DER in base64 (graph-docs `keycredential.md`: "The certificate's raw
    /// data in byte array converted to Base64 string").
    pub fn key_base64(&self) -> String {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(&self.der)
    }
}

/// The PEM the vault stores: the PKCS#8 private key (RFC 7468 §10, `PRIVATE KEY`), then the
/// certificate (§5, `CERTIFICATE`), LF line endings. `pkcs8` is zeroised when dropped, and so
/// is every buffer the key's text passes through; the result is the only copy.
pub fn pem(pkcs8: Zeroizing<Vec<u8>>, cert_der: &[u8]) -> Result<SecretValue, CertError> {
    use pem_rfc7468::LineEnding;
    let encode = |label: &'static str, bytes: &[u8]| -> Result<Zeroizing<Vec<u8>>, CertError> {
        let le = LineEnding::LF;
        let len = pem_rfc7468::encoded_len(label, le, bytes)
            .map_err(|e| CertError::Encoding(e.to_string()))?;
        let mut buf = Zeroizing::new(vec![0u8; len]);
        pem_rfc7468::encode(label, le, bytes, &mut buf)
            .map_err(|e| CertError::Encoding(e.to_string()))?;
        Ok(buf)
    };
    let key = encode("PRIVATE KEY", &pkcs8)?;
    let cert = encode("CERTIFICATE", cert_der)?;
    // Sized up front: the string never grows, so no copy of the key is left behind.
    let mut out = Zeroizing::new(String::with_capacity(key.len() + cert.len() + 2));
    for part in [&key, &cert] {
        let text = core::str::from_utf8(part).map_err(|_| CertError::Signature)?;
        out.push_str(text);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    Ok(SecretValue::new(out))
}

// Native only: the `rsa` crate that stands in for WebCrypto is a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
