// A certificate credential's PEM (private key and certificate, as the wizard stores it in Key
// Vault): read with Node's own parsers, and the private key's text as the "toxic" strings the
// hygiene checks look for (lib/hygiene.mjs: the value, percent-encoded, JSON-escaped, base64).
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';

/** The base64 lines of the PEM's `PRIVATE KEY` block (each ≥ 16 characters). */
export function privateKeyLines(pem) {
  const m = /-----BEGIN PRIVATE KEY-----\n([\s\S]*?)\n-----END PRIVATE KEY-----/.exec(pem);
  if (!m) throw new Error('the PEM has no PRIVATE KEY block');
  return m[1].split('\n').filter((l) => l.length >= 16);
}

/**
 * Reads the PEM with real parsers: Node's X.509 certificate and PKCS#8 private key. Returns the
 * certificate, its SHA-1 thumbprint (upper-case hex, no colons), its DER in base64, and whether
 * the private key matches the certificate's public key (both checks: X509Certificate.checkPrivateKey
 * and the public key derived from the private key equals the certificate's).
 */
export function readPem(pem) {
  const cert = new X509Certificate(pem);
  const key = createPrivateKey({ key: pem, format: 'pem' });
  const derived = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const inCert = cert.publicKey.export({ type: 'spki', format: 'der' });
  return {
    cert,
    key,
    thumbprint: cert.fingerprint.replace(/:/g, '').toUpperCase(),
    derBase64: cert.raw.toString('base64'),
    matches: cert.checkPrivateKey(key) && derived.equals(inCert),
  };
}
