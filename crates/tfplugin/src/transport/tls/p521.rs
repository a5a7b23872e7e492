//! ECDSA P-521 signature verification for the pinned client certificate,
//! in pure Rust (RustCrypto `p521`), because *ring* has no P-521.
//!
//! Terraform's (go-plugin's) client certificate is an ECDSA P-521 key. Over
//! TLS 1.3 it signs the handshake with `ecdsa_secp521r1_sha512`; over TLS 1.2
//! the curve is not tied to the hash, so a client may pair the P-521 key with
//! SHA-256 or SHA-384 too. The three algorithms below cover exactly what the
//! aws-lc-rs provider accepted for a P-521 key before.
//!
//! Only public data is handled here (a public key, a transcript and a
//! signature), so constant time does not matter; the checks are those of
//! SEC 1 / FIPS 186-4 ECDSA verification as implemented by the `ecdsa` crate
//! (point on the curve, `r` and `s` in `[1, n)`, strict DER).

use p521::ecdsa::signature::hazmat::PrehashVerifier;
use p521::ecdsa::{Signature, VerifyingKey};
use rustls::pki_types::{
    AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm, alg_id,
};
use sha2::Digest;

#[derive(Debug, Clone, Copy)]
enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

/// ECDSA over P-521 with the given hash, verifying ASN.1 (DER) signatures —
/// the counterpart of webpki's `ECDSA_P384_SHA384` and friends.
#[derive(Debug)]
struct EcdsaP521(Hash);

/// `ecdsa_secp521r1_sha512` (TLS 1.3 and 1.2).
pub(super) static ECDSA_P521_SHA512: &dyn SignatureVerificationAlgorithm = &EcdsaP521(Hash::Sha512);
/// A P-521 key with SHA-384 (TLS 1.2 `ecdsa_secp384r1_sha384`).
pub(super) static ECDSA_P521_SHA384: &dyn SignatureVerificationAlgorithm = &EcdsaP521(Hash::Sha384);
/// A P-521 key with SHA-256 (TLS 1.2 `ecdsa_secp256r1_sha256`).
pub(super) static ECDSA_P521_SHA256: &dyn SignatureVerificationAlgorithm = &EcdsaP521(Hash::Sha256);

impl SignatureVerificationAlgorithm for EcdsaP521 {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        // `public_key` is the SEC 1 point from the certificate's
        // subjectPublicKey; `from_sec1_bytes` rejects points off the curve
        // and the identity.
        let key = VerifyingKey::from_sec1_bytes(public_key).map_err(|_| InvalidSignature)?;
        let sig = Signature::from_der(signature).map_err(|_| InvalidSignature)?;
        let verified = match self.0 {
            Hash::Sha256 => key.verify_prehash(&sha2::Sha256::digest(message), &sig),
            Hash::Sha384 => key.verify_prehash(&sha2::Sha384::digest(message), &sig),
            Hash::Sha512 => key.verify_prehash(&sha2::Sha512::digest(message), &sig),
        };
        verified.map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_P521
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        match self.0 {
            Hash::Sha256 => alg_id::ECDSA_SHA256,
            Hash::Sha384 => alg_id::ECDSA_SHA384,
            Hash::Sha512 => alg_id::ECDSA_SHA512,
        }
    }
}
