//! A test client identity shaped like go-plugin's (Terraform's): a fresh
//! ECDSA P-521 key in a self-signed certificate with the CA flag set, usable
//! by a rustls client — in pure Rust, since *ring* cannot sign with P-521
//! and rcgen cannot make P-521 certificates without aws-lc-rs.
//!
//! For tests only (this crate's, and the provider's end-to-end tests through
//! the `test-client` feature); the plugin itself never signs with P-521.

use super::{Pinned, verify_signatures_with_pinned};
use base64::Engine;
use p521::ecdsa::signature::Signer as _;
use p521::ecdsa::signature::hazmat::PrehashSigner as _;
use rustls::client::danger::{ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::sign::{CertifiedKey, Signer, SigningKey, SingleCertAndKey};
use rustls::{Error as TlsError, SignatureAlgorithm, SignatureScheme};
use sha2::Digest;
use std::sync::Arc;

/// A P-521 client certificate and its key, as go-plugin makes them.
#[derive(Clone)]
pub struct P521ClientIdentity {
    /// The certificate as PEM, what Terraform puts in `PLUGIN_CLIENT_CERT`.
    pub pem: String,
    /// The same certificate, DER.
    pub der: CertificateDer<'static>,
    key: Arc<P521Key>,
}

impl std::fmt::Debug for P521ClientIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("P521ClientIdentity")
            .field("key", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl P521ClientIdentity {
    /// A fresh key and certificate: CN and SAN `localhost`, O `HashiCorp`,
    /// CA flag, key usage digitalSignature/keyEncipherment/keyCertSign,
    /// extended key usage clientAuth and serverAuth, ecdsa-with-SHA512.
    pub fn generate() -> P521ClientIdentity {
        let sk = loop {
            let mut scalar = [0u8; 66];
            rustls::crypto::ring::default_provider()
                .secure_random
                .fill(&mut scalar)
                .expect("OS randomness");
            // 521 bits: the top byte holds one bit; 0 keeps the scalar below n.
            scalar[0] = 0;
            if let Ok(sk) = p521::ecdsa::SigningKey::from_slice(&scalar) {
                break sk;
            }
        };
        let der = self_signed_certificate(&sk, &random_serial());
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            base64::engine::general_purpose::STANDARD
                .encode(&der)
                .as_bytes()
                .chunks(64)
                .map(|c| std::str::from_utf8(c).expect("base64 is ASCII"))
                .collect::<Vec<_>>()
                .join("\n")
        );
        P521ClientIdentity {
            pem,
            der: CertificateDer::from(der),
            key: Arc::new(P521Key(sk)),
        }
    }

    /// The signing key, for a rustls client (`CertifiedKey`).
    pub fn signing_key(&self) -> Arc<dyn SigningKey> {
        self.key.clone()
    }

    /// A client-certificate resolver that always presents this identity.
    pub fn resolver(&self) -> Arc<SingleCertAndKey> {
        Arc::new(SingleCertAndKey::from(CertifiedKey::new(
            vec![self.der.clone()],
            self.signing_key(),
        )))
    }

    /// A rustls client config like go-plugin's: it accepts exactly the
    /// server certificate from the handshake line, offers ALPN `h2`, and
    /// authenticates with this identity.
    pub fn client_config(&self, server_cert: CertificateDer<'static>) -> rustls::ClientConfig {
        self.client_config_with(server_cert, rustls::DEFAULT_VERSIONS, None)
    }

    /// As [`client_config`](Self::client_config), restricted to `versions`
    /// and, when `scheme` is given, signing only with that scheme (TLS 1.2
    /// lets a P-521 key sign with SHA-256 or SHA-384 too).
    pub fn client_config_with(
        &self,
        server_cert: CertificateDer<'static>,
        versions: &[&'static rustls::SupportedProtocolVersion],
        scheme: Option<SignatureScheme>,
    ) -> rustls::ClientConfig {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key: Arc<dyn SigningKey> = match scheme {
            Some(s) => Arc::new(FixedScheme(self.key.clone(), s)),
            None => self.signing_key(),
        };
        let mut cfg = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(versions)
            .expect("protocol versions")
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(PinnedServer {
                pinned: Pinned {
                    expected: server_cert,
                    provider,
                },
            }))
            .with_client_cert_resolver(Arc::new(SingleCertAndKey::from(CertifiedKey::new(
                vec![self.der.clone()],
                key,
            ))));
        cfg.alpn_protocols = vec![b"h2".to_vec()];
        cfg
    }
}

fn random_serial() -> [u8; 16] {
    let mut serial = [0u8; 16];
    rustls::crypto::ring::default_provider()
        .secure_random
        .fill(&mut serial)
        .expect("OS randomness");
    serial[0] &= 0x7f; // positive INTEGER
    serial[0] |= 0x01; // and minimal (no leading zero byte)
    serial
}

#[derive(Debug)]
struct P521Key(p521::ecdsa::SigningKey);

impl P521Key {
    fn sign(&self, scheme: SignatureScheme, message: &[u8]) -> Result<Vec<u8>, TlsError> {
        let sig: p521::ecdsa::Signature = match scheme {
            SignatureScheme::ECDSA_NISTP521_SHA512 => self.0.try_sign(message),
            SignatureScheme::ECDSA_NISTP384_SHA384 => {
                self.0.sign_prehash(&sha2::Sha384::digest(message))
            }
            SignatureScheme::ECDSA_NISTP256_SHA256 => {
                self.0.sign_prehash(&sha2::Sha256::digest(message))
            }
            other => return Err(TlsError::General(format!("cannot sign with {other:?}"))),
        }
        .map_err(|e| TlsError::General(e.to_string()))?;
        Ok(sig.to_der().as_bytes().to_vec())
    }
}

impl SigningKey for P521Key {
    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        // As Go does for TLS 1.3 (where the curve fixes the hash); under
        // TLS 1.2 Go would also take the server's first ECDSA preference.
        offered
            .contains(&SignatureScheme::ECDSA_NISTP521_SHA512)
            .then(|| {
                Box::new(P521Signer {
                    key: P521Key(self.0.clone()),
                    scheme: SignatureScheme::ECDSA_NISTP521_SHA512,
                }) as Box<dyn Signer>
            })
    }
    fn algorithm(&self) -> SignatureAlgorithm {
        SignatureAlgorithm::ECDSA
    }
}

/// Signs only with one scheme, if the server offers it.
#[derive(Debug)]
struct FixedScheme(Arc<P521Key>, SignatureScheme);

impl SigningKey for FixedScheme {
    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        offered.contains(&self.1).then(|| {
            Box::new(P521Signer {
                key: P521Key(self.0.0.clone()),
                scheme: self.1,
            }) as Box<dyn Signer>
        })
    }
    fn algorithm(&self) -> SignatureAlgorithm {
        SignatureAlgorithm::ECDSA
    }
}

#[derive(Debug)]
struct P521Signer {
    key: P521Key,
    scheme: SignatureScheme,
}

impl Signer for P521Signer {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, TlsError> {
        self.key.sign(self.scheme, message)
    }
    fn scheme(&self) -> SignatureScheme {
        self.scheme
    }
}

/// Accepts exactly the certificate from the handshake line, as go-plugin does.
#[derive(Debug)]
struct PinnedServer {
    pinned: Pinned,
}

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, TlsError> {
        if self.pinned.is(end_entity) {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(TlsError::General(
                "server cert does not match the handshake".into(),
            ))
        }
    }
    verify_signatures_with_pinned!(verify_tls12_signature, verify_tls13_signature);
}

// --- a minimal DER writer for the one certificate shape above ---

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

const OID_ECDSA_WITH_SHA512: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04];
const OID_EC_PUBLIC_KEY: &[u8] = &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_SECP521R1: &[u8] = &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23];
const OID_ORGANIZATION: &[u8] = &[0x06, 0x03, 0x55, 0x04, 0x0a];
const OID_COMMON_NAME: &[u8] = &[0x06, 0x03, 0x55, 0x04, 0x03];
const OID_KEY_USAGE: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x0f];
const OID_SUBJECT_ALT_NAME: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x11];
const OID_BASIC_CONSTRAINTS: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x13];
const OID_EXT_KEY_USAGE: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x25];
const OID_SERVER_AUTH: &[u8] = &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];
const OID_CLIENT_AUTH: &[u8] = &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02];
const TRUE: &[u8] = &[0x01, 0x01, 0xff];

fn extension(oid: &[u8], critical: bool, value: &[u8]) -> Vec<u8> {
    let octets = tlv(0x04, value);
    if critical {
        seq(&[oid, TRUE, &octets])
    } else {
        seq(&[oid, &octets])
    }
}

fn self_signed_certificate(sk: &p521::ecdsa::SigningKey, serial: &[u8]) -> Vec<u8> {
    let point = sk.verifying_key().to_sec1_bytes();
    let sig_alg = seq(&[OID_ECDSA_WITH_SHA512]);
    let name = seq(&[
        &tlv(0x31, &seq(&[OID_ORGANIZATION, &tlv(0x0c, b"HashiCorp")])),
        &tlv(0x31, &seq(&[OID_COMMON_NAME, &tlv(0x0c, b"localhost")])),
    ]);
    let validity = seq(&[&tlv(0x17, b"200101000000Z"), &tlv(0x18, b"20991231235959Z")]);
    let spki = seq(&[
        &seq(&[OID_EC_PUBLIC_KEY, OID_SECP521R1]),
        &tlv(0x03, &[&[0u8][..], &point].concat()),
    ]);
    let extensions = seq(&[
        // digitalSignature, keyEncipherment, keyCertSign
        &extension(OID_KEY_USAGE, true, &tlv(0x03, &[0x02, 0xa4])),
        &extension(
            OID_EXT_KEY_USAGE,
            false,
            &seq(&[OID_CLIENT_AUTH, OID_SERVER_AUTH]),
        ),
        &extension(OID_BASIC_CONSTRAINTS, true, &seq(&[TRUE])),
        &extension(
            OID_SUBJECT_ALT_NAME,
            false,
            &seq(&[&tlv(0x82, b"localhost")]),
        ),
    ]);
    let tbs = seq(&[
        &tlv(0xa0, &tlv(0x02, &[0x02])), // v3
        &tlv(0x02, serial),
        &sig_alg,
        &name,
        &validity,
        &name,
        &spki,
        &tlv(0xa3, &extensions),
    ]);
    let sig: p521::ecdsa::Signature = sk.sign(&tbs);
    let sig_der = sig.to_der();
    seq(&[
        &tbs,
        &sig_alg,
        &tlv(0x03, &[&[0u8][..], sig_der.as_bytes()].concat()),
    ])
}
