//! Unit tests of `tls.rs`.

use super::test_client::P521ClientIdentity;
use super::*;
use rustls::pki_types::ServerName;
use rustls::{ClientConnection, ProtocolVersion, ServerConnection};

#[test]
fn identity_and_config_build() {
    let id = generate_identity().unwrap();
    let client = P521ClientIdentity::generate();
    let parsed = parse_client_cert(&client.pem).unwrap();
    assert_eq!(parsed.as_ref(), client.der.as_ref());
    let cfg = server_config(&id, parsed).unwrap();
    assert_eq!(cfg.alpn_protocols, vec![b"h2".to_vec()]);
    assert!(parse_client_cert("not pem").is_err());
    let schemes = crypto_provider()
        .signature_verification_algorithms
        .supported_schemes();
    assert_eq!(
        schemes.first(),
        Some(&SignatureScheme::ECDSA_NISTP521_SHA512)
    );
    for s in [
        SignatureScheme::ECDSA_NISTP384_SHA384,
        SignatureScheme::ECDSA_NISTP256_SHA256,
        SignatureScheme::ED25519,
        SignatureScheme::RSA_PSS_SHA256,
    ] {
        assert!(schemes.contains(&s), "{s:?}");
    }
}

/// Which side gave up, and why (printed when a test fails).
#[derive(Debug)]
enum Failed {
    Server(TlsError),
    Client(#[allow(dead_code)] TlsError),
}

/// Runs a whole handshake in memory; returns the version both agreed on.
fn handshake(
    server: Arc<ServerConfig>,
    client: rustls::ClientConfig,
) -> Result<ProtocolVersion, Failed> {
    let name = ServerName::try_from("localhost").unwrap();
    let mut c = ClientConnection::new(Arc::new(client), name).unwrap();
    let mut s = ServerConnection::new(server).unwrap();
    for _ in 0..20 {
        let mut to_server = Vec::new();
        while c.wants_write() {
            c.write_tls(&mut to_server).unwrap();
        }
        let mut rd = &to_server[..];
        while !rd.is_empty() {
            s.read_tls(&mut rd).unwrap();
            s.process_new_packets().map_err(Failed::Server)?;
        }
        let mut to_client = Vec::new();
        while s.wants_write() {
            s.write_tls(&mut to_client).unwrap();
        }
        let mut rd = &to_client[..];
        while !rd.is_empty() {
            c.read_tls(&mut rd).unwrap();
            c.process_new_packets().map_err(Failed::Client)?;
        }
        if !c.is_handshaking() && !s.is_handshaking() {
            assert_eq!(s.alpn_protocol(), Some(&b"h2"[..]));
            return Ok(s.protocol_version().unwrap());
        }
    }
    panic!("handshake did not finish");
}

fn server_for(client: &P521ClientIdentity) -> (Arc<ServerConfig>, CertificateDer<'static>) {
    let id = generate_identity().unwrap();
    let cfg = server_config(&id, parse_client_cert(&client.pem).unwrap()).unwrap();
    (cfg, id.cert_der)
}

#[test]
fn the_pinned_p521_client_is_accepted_over_tls13_and_tls12() {
    let client = P521ClientIdentity::generate();
    let (server, server_cert) = server_for(&client);
    let v = handshake(server.clone(), client.client_config(server_cert.clone())).unwrap();
    assert_eq!(v, ProtocolVersion::TLSv1_3);
    // TLS 1.2 with each hash a P-521 key may sign with there.
    for scheme in [
        SignatureScheme::ECDSA_NISTP521_SHA512,
        SignatureScheme::ECDSA_NISTP384_SHA384,
        SignatureScheme::ECDSA_NISTP256_SHA256,
    ] {
        let cfg = client.client_config_with(
            server_cert.clone(),
            &[&rustls::version::TLS12],
            Some(scheme),
        );
        let v = handshake(server.clone(), cfg).unwrap_or_else(|e| panic!("{scheme:?}: {e:?}"));
        assert_eq!(v, ProtocolVersion::TLSv1_2, "{scheme:?}");
    }
}

#[test]
fn tls13_refuses_a_p521_key_signing_with_another_curves_scheme() {
    let client = P521ClientIdentity::generate();
    let (server, server_cert) = server_for(&client);
    let cfg = client.client_config_with(
        server_cert,
        &[&rustls::version::TLS13],
        Some(SignatureScheme::ECDSA_NISTP384_SHA384),
    );
    assert!(matches!(handshake(server, cfg), Err(Failed::Server(_))));
}

#[test]
fn another_client_certificate_is_refused() {
    let announced = P521ClientIdentity::generate();
    let intruder = P521ClientIdentity::generate();
    let (server, server_cert) = server_for(&announced);
    for versions in [
        &[&rustls::version::TLS13][..],
        &[&rustls::version::TLS12][..],
    ] {
        let cfg = intruder.client_config_with(server_cert.clone(), versions, None);
        match handshake(server.clone(), cfg) {
            Err(Failed::Server(TlsError::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))) => {}
            other => panic!("{versions:?}: {other:?}"),
        }
    }
}

#[test]
fn the_pinned_certificate_without_its_key_is_refused() {
    // Proof of possession: the announced certificate, signed for by
    // another P-521 key, fails the CertificateVerify check.
    let announced = P521ClientIdentity::generate();
    let thief = P521ClientIdentity::generate();
    let (server, server_cert) = server_for(&announced);
    for versions in [
        &[&rustls::version::TLS13][..],
        &[&rustls::version::TLS12][..],
    ] {
        let mut cfg = thief.client_config_with(server_cert.clone(), versions, None);
        cfg.client_auth_cert_resolver = Arc::new(rustls::sign::SingleCertAndKey::from(
            rustls::sign::CertifiedKey::new(vec![announced.der.clone()], thief.signing_key()),
        ));
        match handshake(server.clone(), cfg) {
            Err(Failed::Server(TlsError::InvalidCertificate(
                rustls::CertificateError::BadSignature,
            ))) => {}
            other => panic!("{versions:?}: {other:?}"),
        }
    }
}

#[derive(Debug)]
struct NoCertificate;

impl rustls::client::ResolvesClientCert for NoCertificate {
    fn resolve(
        &self,
        _root_hint_subjects: &[&[u8]],
        _schemes: &[SignatureScheme],
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        None
    }
    fn has_certs(&self) -> bool {
        false
    }
}

#[test]
fn a_client_without_a_certificate_is_refused() {
    let announced = P521ClientIdentity::generate();
    let (server, server_cert) = server_for(&announced);
    let mut cfg = announced.client_config(server_cert);
    cfg.client_auth_cert_resolver = Arc::new(NoCertificate);
    assert!(matches!(
        handshake(server, cfg),
        Err(Failed::Server(TlsError::NoCertificatesPresented))
    ));
}
