//! The browser's WebCrypto, for the certificate credential (browser only): the RSA key pair
//! (RSASSA-PKCS1-v1_5, SHA-256, 2048 or 3072 bits, public exponent 65537), its public key as
//! SPKI, the signature over the certificate's TBS, and the private key as PKCS#8 — exported
//! only to go into the PEM the vault stores (the key is extractable for that alone).
//!
//! [`make_certificate`] runs the whole thing; the certificate itself is built by
//! `domain::certificate` (pure, natively tested). The PKCS#8 bytes go straight into a
//! zeroising buffer and the PEM's [`SecretValue`]; the `ArrayBuffer` the browser gave is
//! overwritten with zeros at once. Errors carry no key material.

use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};
use zeroize::Zeroizing;

use crate::domain::certificate::{self, CertificatePlan};
use crate::wizard::certificate::Made;
use crate::wizard::describe::CertificateOrder;

const ALGORITHM: &str = "RSASSA-PKCS1-v1_5";

fn fail(what: &str) -> impl Fn(JsValue) -> String + '_ {
    move |_| format!("The browser couldn't {what}. Try again, or use another browser.")
}

fn set(o: &Object, key: &str, value: &JsValue) -> Result<(), String> {
    Reflect::set(o, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(fail("prepare the key"))
}

fn subtle() -> Result<SubtleCrypto, String> {
    let window = web_sys::window().ok_or("No browser window.")?;
    let crypto = window
        .crypto()
        .map_err(fail("reach its cryptography (WebCrypto)"))?;
    Ok(crypto.subtle())
}

/// Bytes of an `ArrayBuffer` promise's result.
async fn bytes(promise: Result<js_sys::Promise, JsValue>, what: &str) -> Result<Vec<u8>, String> {
    let value = JsFuture::from(promise.map_err(fail(what))?)
        .await
        .map_err(fail(what))?;
    let buffer: ArrayBuffer = value.dyn_into().map_err(fail(what))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Makes the key pair and the certificate for `order`, and the PEM.
pub async fn make_certificate(order: CertificateOrder) -> Result<Made, String> {
    let subtle = subtle()?;
    let algorithm = Object::new();
    set(&algorithm, "name", &JsValue::from_str(ALGORITHM))?;
    set(&algorithm, "modulusLength", &JsValue::from(order.key_size))?;
    let exponent = Uint8Array::from(&[1u8, 0, 1][..]);
    set(&algorithm, "publicExponent", &exponent)?;
    set(&algorithm, "hash", &JsValue::from_str("SHA-256"))?;
    let usages = Array::of2(&JsValue::from_str("sign"), &JsValue::from_str("verify"));
    // Extractable: the private key is exported once, into the PEM for the vault.
    let pair = JsFuture::from(
        subtle
            .generate_key_with_object(&algorithm, true, &usages)
            .map_err(fail("make an RSA key"))?,
    )
    .await
    .map_err(fail("make an RSA key"))?;
    let key = |name: &str| -> Result<CryptoKey, String> {
        Reflect::get(&pair, &JsValue::from_str(name))
            .ok()
            .and_then(|k| k.dyn_into::<CryptoKey>().ok())
            .ok_or_else(|| "The browser's key pair was incomplete. Try again.".to_string())
    };
    let (public, private) = (key("publicKey")?, key("privateKey")?);

    let spki = bytes(subtle.export_key("spki", &public), "export the public key").await?;
    let mut serial = [0u8; 16];
    web_sys::window()
        .ok_or("No browser window.")?
        .crypto()
        .map_err(fail("make random numbers"))?
        .get_random_values_with_u8_array(&mut serial)
        .map_err(fail("make random numbers"))?;
    let plan = CertificatePlan {
        common_name: order.common_name.clone(),
        serial,
        not_before: order.not_before,
        not_after: order.not_after,
    };
    let tbs = plan.to_be_signed(&spki).map_err(|e| e.user_message())?;
    let signature = bytes(
        subtle.sign_with_str_and_u8_array(ALGORITHM, &private, &tbs.der),
        "sign the certificate",
    )
    .await?;
    let made = tbs.assemble(&signature).map_err(|e| e.user_message())?;

    // The private key, once: into zeroising memory, the browser's copy overwritten.
    let exported = JsFuture::from(
        subtle
            .export_key("pkcs8", &private)
            .map_err(fail("export the private key"))?,
    )
    .await
    .map_err(fail("export the private key"))?;
    let buffer: ArrayBuffer = exported
        .dyn_into()
        .map_err(fail("export the private key"))?;
    let view = Uint8Array::new(&buffer);
    let mut pkcs8 = Zeroizing::new(vec![0u8; view.length() as usize]);
    view.copy_to(&mut pkcs8);
    view.fill(0, 0, view.length());
    let pem = certificate::pem(pkcs8, &made.der).map_err(|e| e.user_message())?;
    Ok(Made {
        certificate: made,
        pem,
    })
}
