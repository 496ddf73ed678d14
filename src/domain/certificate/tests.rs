//! The certificate built end to end with a real RSA key (the `rsa` crate stands in for
//! WebCrypto): signed, assembled, read back by `x509-cert` and verified.

use super::*;
use chrono::TimeZone;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::RsaPrivateKey;
use std::sync::OnceLock;

/// One 2048-bit key for all the tests (generating it is the slow part).
fn key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap())
}

fn spki() -> Vec<u8> {
    key()
        .to_public_key()
        .to_public_key_der()
        .unwrap()
        .into_vec()
}

fn plan() -> CertificatePlan {
    CertificatePlan {
        common_name: "Onboarding Portal".into(),
        serial: [0xff; 16],
        not_before: Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap(),
        not_after: Utc.with_ymd_and_hms(2027, 6, 2, 12, 0, 0).unwrap(),
    }
}

/// What the shell does: TBS, sign, assemble.
fn made(plan: &CertificatePlan) -> Vec<u8> {
    let tbs = plan.tbs_der(&spki()).unwrap();
    let signer = SigningKey::<sha2::Sha256>::new(key().clone());
    let signature = signer.sign(&tbs).to_vec();
    assemble(&tbs, &signature).unwrap()
}

#[test]
fn the_certificate_is_self_signed_v3_and_verifies_with_its_own_key() {
    let der = made(&plan());
    let cert = Certificate::from_der(&der).unwrap();
    let tbs = &cert.tbs_certificate;
    assert_eq!(tbs.version, Version::V3);
    assert_eq!(tbs.subject, tbs.issuer, "self-signed");
    assert_eq!(tbs.subject.to_string(), "CN=Onboarding Portal");
    assert_eq!(cert.signature_algorithm.oid, SHA256_WITH_RSA);
    assert_eq!(tbs.signature, cert.signature_algorithm);
    // Positive and 16 octets, whatever random bytes came in.
    let serial = tbs.serial_number.as_bytes();
    assert_eq!(serial.len(), 16);
    assert!(serial[0] < 0x80);
    // The signature over the TBS verifies with the certificate's own public key.
    let verifier = VerifyingKey::<sha2::Sha256>::new(key().to_public_key());
    let signature = Signature::try_from(cert.signature.raw_bytes()).unwrap();
    verifier
        .verify(&tbs.to_der().unwrap(), &signature)
        .expect("signature verifies");
    assert_eq!(tbs.subject_public_key_info.to_der().unwrap(), spki());
}

#[test]
fn extensions_are_those_of_a_client_authentication_certificate() {
    let der = made(&plan());
    let cert = Certificate::from_der(&der).unwrap();
    let tbs = &cert.tbs_certificate;
    let (critical, bc) = tbs.get::<BasicConstraints>().unwrap().unwrap();
    assert!(critical && !bc.ca);
    let (critical, ku) = tbs.get::<KeyUsage>().unwrap().unwrap();
    assert!(critical && ku.digital_signature() && !ku.key_cert_sign());
    let (_, eku) = tbs.get::<ExtendedKeyUsage>().unwrap().unwrap();
    assert_eq!(eku.0, vec![CLIENT_AUTH]);
    let (_, ski) = tbs.get::<SubjectKeyIdentifier>().unwrap().unwrap();
    let bits = tbs.subject_public_key_info.subject_public_key.raw_bytes();
    assert_eq!(ski.0.as_bytes(), Sha1::digest(bits).as_slice());
}

#[test]
fn read_back_gives_subject_dates_and_the_thumbprint() {
    let p = plan();
    let m = MadeCertificate::read(made(&p)).unwrap();
    assert_eq!(m.subject, "CN=Onboarding Portal");
    assert_eq!(m.not_before, p.not_before);
    assert_eq!(m.not_after, p.not_after);
    assert_eq!(m.thumbprint, thumbprint(&m.der));
    assert_eq!(m.thumbprint.len(), 40);
    assert!(m
        .thumbprint
        .chars()
        .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c)));
    use base64::Engine;
    let key = base64::engine::general_purpose::STANDARD
        .decode(m.key_base64())
        .unwrap();
    assert_eq!(key, m.der);
}

#[test]
fn the_browsers_path_encodes_the_same_certificate_without_decoding_anything() {
    let p = plan();
    let tbs = p.to_be_signed(&spki()).unwrap();
    let signer = SigningKey::<sha2::Sha256>::new(key().clone());
    let signature = signer.sign(&tbs.der).to_vec();
    let read_back = assemble(&tbs.der, &signature).unwrap();
    let made = tbs.clone().assemble(&signature).unwrap();
    assert_eq!(made.der, read_back);
    assert_eq!(made, MadeCertificate::read(read_back).unwrap());
    assert_eq!(tbs.assemble(&[]), Err(CertError::Signature));
}

#[test]
fn thumbprint_is_sha1_upper_hex() {
    // FIPS 180 example: SHA-1("abc").
    assert_eq!(
        thumbprint(b"abc"),
        "A9993E364706816ABA3E25717850C26C9CD0D89D"
    );
}

#[test]
fn dates_are_utc_time_through_2049_and_generalized_time_from_2050() {
    let mut p = plan();
    p.not_before = Utc.with_ymd_and_hms(2049, 6, 1, 0, 0, 0).unwrap();
    p.not_after = Utc.with_ymd_and_hms(2050, 6, 1, 0, 0, 0).unwrap();
    let tbs = TbsCertificate::from_der(&p.tbs_der(&spki()).unwrap()).unwrap();
    assert!(matches!(tbs.validity.not_before, Time::UtcTime(_)));
    assert!(matches!(tbs.validity.not_after, Time::GeneralTime(_)));
    p.not_after = p.not_before;
    assert!(matches!(p.tbs_der(&spki()), Err(CertError::Encoding(_))));
}

#[test]
fn only_an_rsa_public_key_and_a_real_signature_are_taken() {
    assert!(matches!(
        plan().tbs_der(b"not der"),
        Err(CertError::PublicKey(_))
    ));
    // An SPKI of another algorithm (id-ecPublicKey), built with the same types.
    let mut other = SubjectPublicKeyInfoOwned::from_der(&spki()).unwrap();
    other.algorithm.oid = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
    let err = plan().tbs_der(&other.to_der().unwrap()).unwrap_err();
    assert!(
        matches!(err, CertError::PublicKey(ref w) if w.contains("not RSA")),
        "{err:?}"
    );
    let tbs = plan().tbs_der(&spki()).unwrap();
    assert_eq!(assemble(&tbs, &[]), Err(CertError::Signature));
    assert!(assemble(b"junk", &[1, 2, 3]).is_err());
}

#[test]
fn common_names_are_checked_and_defaulted_from_the_app() {
    assert_eq!(
        default_common_name("  Onboarding Portal "),
        "Onboarding Portal"
    );
    assert_eq!(default_common_name(""), "secret-wizard");
    assert_eq!(default_common_name(&"x".repeat(80)).chars().count(), 64);
    assert!(check_common_name("Payroll API").is_ok());
    assert!(check_common_name(" ").is_err());
    assert!(check_common_name(&"é".repeat(65)).is_err());
    assert!(check_common_name("a\nb").is_err());
    let mut p = plan();
    p.common_name = "x".repeat(65);
    assert!(matches!(p.tbs_der(&spki()), Err(CertError::Encoding(_))));
    // Characters RFC 4514 would escape go in as they are (UTF8String), and read back.
    p.common_name = "Contoso, \"HR\" + Payroll".into();
    let tbs = TbsCertificate::from_der(&p.tbs_der(&spki()).unwrap()).unwrap();
    let cn = &tbs.subject.0[0].0.as_slice()[0];
    assert_eq!(
        cn.value.decode_as::<String>().unwrap(),
        "Contoso, \"HR\" + Payroll"
    );
}

#[test]
fn the_pem_holds_the_private_key_then_the_certificate() {
    let der = made(&plan());
    let pkcs8 = Zeroizing::new(key().to_pkcs8_der().unwrap().as_bytes().to_vec());
    let pem = pem(pkcs8, &der).unwrap();
    let text = pem.expose();
    assert!(text.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    let at = text
        .find("-----BEGIN CERTIFICATE-----")
        .expect("certificate");
    assert!(text.ends_with("-----END CERTIFICATE-----\n"));
    let (label, key_der) = pem_rfc7468::decode_vec(&text.as_bytes()[..at]).unwrap();
    assert_eq!(label, "PRIVATE KEY");
    assert_eq!(key_der, key().to_pkcs8_der().unwrap().as_bytes());
    let (label, cert_der) = pem_rfc7468::decode_vec(&text.as_bytes()[at..]).unwrap();
    assert_eq!(label, "CERTIFICATE");
    assert_eq!(cert_der, der);
    // The value's Debug never shows it.
    assert!(!format!("{pem:?}").contains("PRIVATE KEY"));
}
