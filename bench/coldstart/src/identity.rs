//! The client certificate the driver presents, as go-plugin's client makes it.

use rustls::pki_types::{CertificateDer, PrivatePkcs8KeyDer};

/// go-plugin's client identity: ECDSA P-521, self-signed, CA flag set.
pub(crate) struct ClientIdentity {
    pub(crate) pem: String,
    pub(crate) der: CertificateDer<'static>,
    pub(crate) key: PrivatePkcs8KeyDer<'static>,
}

pub(crate) fn client_identity() -> ClientIdentity {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("P-521 key");
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("params");
    for (part, value) in [
        (rcgen::DnType::CommonName, "localhost"),
        (rcgen::DnType::OrganizationName, "HashiCorp"),
    ] {
        params.distinguished_name.push(part, value);
    }
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::DigitalSignature,
        rcgen::KeyUsagePurpose::KeyEncipherment,
        rcgen::KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
    ];
    let cert = params.self_signed(&key).expect("self-signed");
    ClientIdentity {
        pem: cert.pem(),
        der: cert.der().clone(),
        key: PrivatePkcs8KeyDer::from(key.serialize_der()),
    }
}
