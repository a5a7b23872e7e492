//! AutoMTLS with real mutual authentication. The server makes a throwaway
//! P-256 certificate (SAN `localhost`) and accepts exactly one client: the
//! certificate Terraform passed in `PLUGIN_CLIENT_CERT` (pinned by DER).
//!
//! Why a custom verifier: Terraform's client certificate is a self-signed CA
//! certificate used as an end entity, which webpki (and so tonic's
//! `ServerTlsConfig`) rejects with `CaUsedAsEndEntity`.
//!
//! Crypto: rustls with the *ring* provider — the one an HTTP client built on
//! reqwest already links, so a provider binary carries one C/assembly crypto
//! library — plus ECDSA P-521 verification from RustCrypto's `p521`
//! (`tls/p521.rs`), because Terraform's client certificate signs with P-521
//! and *ring* has no P-521. aws-lc-rs was used before for that curve alone;
//! seeding its DRBG (jitter entropy) cost 40–70 ms of CPU at every start
//! under AutoMTLS, and Terraform starts a provider about four times per
//! command (BENCHMARKS.md).

mod p521;
#[cfg(any(test, feature = "test-client"))]
pub mod test_client;

use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DistinguishedName, Error as TlsError, ServerConfig, SignatureScheme};
use std::sync::Arc;
use webpki::ring as ring_algs;

/// Errors while setting up TLS.
#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    #[error("PLUGIN_CLIENT_CERT is not a PEM certificate: {0}")]
    BadClientCert(String),
    #[error("could not generate the server certificate: {0}")]
    CertGen(#[from] rcgen::Error),
    #[error("TLS configuration failed: {0}")]
    Config(#[from] TlsError),
}

/// The server's throwaway certificate and key.
pub struct ServerIdentity {
    pub cert_der: CertificateDer<'static>,
    key_der: PrivatePkcs8KeyDer<'static>,
}

impl std::fmt::Debug for ServerIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerIdentity")
            .field("key", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// What the plugin verifies handshake signatures with: everything the *ring*
/// provider verifies, plus ECDSA with a P-521 key (SHA-512, and SHA-384 /
/// SHA-256 as TLS 1.2 allows) — the same set aws-lc-rs offered for the keys
/// Terraform uses. P-521/SHA-512 comes first, so it is the scheme a TLS 1.2
/// client that takes the server's first preference (Go does) signs with.
#[rustfmt::skip] // a table: one signature scheme a line
pub static SIGNATURE_ALGORITHMS: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
    all: &[
        p521::ECDSA_P521_SHA512,
        p521::ECDSA_P521_SHA384,
        p521::ECDSA_P521_SHA256,
        ring_algs::ECDSA_P256_SHA256,
        ring_algs::ECDSA_P256_SHA384,
        ring_algs::ECDSA_P384_SHA256,
        ring_algs::ECDSA_P384_SHA384,
        ring_algs::ED25519,
        ring_algs::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
        ring_algs::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
        ring_algs::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
        ring_algs::RSA_PKCS1_2048_8192_SHA256,
        ring_algs::RSA_PKCS1_2048_8192_SHA384,
        ring_algs::RSA_PKCS1_2048_8192_SHA512,
        ring_algs::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
        ring_algs::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
        ring_algs::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
    ],
    mapping: &[
        // For TLS 1.3 the scheme fixes the curve and only the first entry is
        // used; for TLS 1.2 any entry whose key type matches the certificate.
        (SignatureScheme::ECDSA_NISTP521_SHA512, &[p521::ECDSA_P521_SHA512]),
        (
            SignatureScheme::ECDSA_NISTP384_SHA384,
            &[ring_algs::ECDSA_P384_SHA384, ring_algs::ECDSA_P256_SHA384, p521::ECDSA_P521_SHA384],
        ),
        (
            SignatureScheme::ECDSA_NISTP256_SHA256,
            &[ring_algs::ECDSA_P256_SHA256, ring_algs::ECDSA_P384_SHA256, p521::ECDSA_P521_SHA256],
        ),
        (SignatureScheme::ED25519, &[ring_algs::ED25519]),
        (SignatureScheme::RSA_PSS_SHA512, &[ring_algs::RSA_PSS_2048_8192_SHA512_LEGACY_KEY]),
        (SignatureScheme::RSA_PSS_SHA384, &[ring_algs::RSA_PSS_2048_8192_SHA384_LEGACY_KEY]),
        (SignatureScheme::RSA_PSS_SHA256, &[ring_algs::RSA_PSS_2048_8192_SHA256_LEGACY_KEY]),
        (SignatureScheme::RSA_PKCS1_SHA512, &[ring_algs::RSA_PKCS1_2048_8192_SHA512]),
        (SignatureScheme::RSA_PKCS1_SHA384, &[ring_algs::RSA_PKCS1_2048_8192_SHA384]),
        (SignatureScheme::RSA_PKCS1_SHA256, &[ring_algs::RSA_PKCS1_2048_8192_SHA256]),
    ],
};

/// The crypto provider used everywhere: *ring* (key exchange, ciphers, the
/// server's P-256 signatures, randomness from the OS) with
/// [`SIGNATURE_ALGORITHMS`] for verifying the client.
pub fn crypto_provider() -> Arc<CryptoProvider> {
    Arc::new(CryptoProvider {
        signature_verification_algorithms: SIGNATURE_ALGORITHMS,
        ..rustls::crypto::ring::default_provider()
    })
}

/// Generates a fresh P-256 certificate for `localhost`.
pub fn generate_identity() -> Result<ServerIdentity, TlsSetupError> {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()])?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "localhost");
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "tfplugin");
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let cert = params.self_signed(&key)?;
    Ok(ServerIdentity {
        cert_der: cert.der().clone(),
        key_der: PrivatePkcs8KeyDer::from(key.serialize_der()),
    })
}

/// Parses the PEM certificate Terraform sent.
pub fn parse_client_cert(pem: &str) -> Result<CertificateDer<'static>, TlsSetupError> {
    CertificateDer::from_pem_slice(pem.as_bytes())
        .map_err(|e| TlsSetupError::BadClientCert(e.to_string()))
}

/// A rustls server config that requires `client_cert` and offers ALPN `h2`.
pub fn server_config(
    identity: &ServerIdentity,
    client_cert: CertificateDer<'static>,
) -> Result<Arc<ServerConfig>, TlsSetupError> {
    let provider = crypto_provider();
    let verifier = Arc::new(PinnedClientCert {
        pinned: Pinned {
            expected: client_cert,
            provider: provider.clone(),
        },
    });
    let mut cfg = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![identity.cert_der.clone()],
            PrivateKeyDer::Pkcs8(identity.key_der.clone_key()),
        )?;
    cfg.alpn_protocols = vec![b"h2".to_vec()];
    Ok(Arc::new(cfg))
}

/// What both ends' verifiers share: the one certificate they accept, compared byte for
/// byte, and the algorithms they verify handshake signatures with.
#[derive(Debug)]
struct Pinned {
    expected: CertificateDer<'static>,
    provider: Arc<CryptoProvider>,
}

impl Pinned {
    /// Whether `presented` is the pinned certificate.
    fn is(&self, presented: &CertificateDer<'_>) -> bool {
        presented.as_ref() == self.expected.as_ref()
    }

    fn algorithms(&self) -> &WebPkiSupportedAlgorithms {
        &self.provider.signature_verification_algorithms
    }
}

/// The handshake-signature methods of a rustls certificate verifier (client or server
/// side) whose `pinned` field is a [`Pinned`]: each named `verify_tls1x_signature` method
/// hands over to the rustls function of the same name, and the schemes are the provider's.
macro_rules! verify_signatures_with_pinned {
    ($($method:ident),*) => {
        $(
            fn $method(
                &self,
                message: &[u8],
                cert: &::rustls::pki_types::CertificateDer<'_>,
                dss: &::rustls::DigitallySignedStruct,
            ) -> Result<::rustls::client::danger::HandshakeSignatureValid, ::rustls::Error> {
                ::rustls::crypto::$method(message, cert, dss, self.pinned.algorithms())
            }
        )*
        fn supported_verify_schemes(&self) -> Vec<::rustls::SignatureScheme> {
            self.pinned.algorithms().supported_schemes()
        }
    };
}
// By path, for the test client beside this file.
#[cfg(any(test, feature = "test-client"))]
use verify_signatures_with_pinned;

/// Accepts exactly one client certificate: the one Terraform announced.
#[derive(Debug)]
struct PinnedClientCert {
    pinned: Pinned,
}

impl ClientCertVerifier for PinnedClientCert {
    fn offer_client_auth(&self) -> bool {
        true
    }
    fn client_auth_mandatory(&self) -> bool {
        true
    }
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }
    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, TlsError> {
        if self.pinned.is(end_entity) {
            Ok(ClientCertVerified::assertion())
        } else {
            tracing::warn!(
                "refused a TLS client whose certificate is not the one Terraform announced"
            );
            Err(TlsError::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }
    verify_signatures_with_pinned!(verify_tls12_signature, verify_tls13_signature);
}

#[cfg(test)]
#[path = "tls_tests.rs"]
mod tests;
