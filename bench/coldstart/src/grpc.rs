//! The gRPC side of a measured start: the connection over the announced unix socket (with
//! mTLS pinned to the handshake's certificate when the plugin offered one) and the empty
//! unary calls.

use crate::identity::ClientIdentity;
use hyper_util::rt::TokioIo;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::sync::Arc;
use std::time::Duration;
use tonic::codegen::http::uri::PathAndQuery;
use tonic::transport::{Channel, Endpoint, Uri};

/// The verifier's handshake-signature methods: each hands over to the rustls function of
/// the same name with the provider's algorithms.
macro_rules! handshake_signatures {
    ($($method:ident),*) => {$(
        fn $method(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::$method(message, cert, dss, &self.1.signature_verification_algorithms)
        }
    )*};
}

/// Accepts exactly the certificate from the handshake line, as go-plugin does.
#[derive(Debug)]
struct PinnedServer(Vec<u8>, Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.0.as_slice() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "server cert does not match the handshake".into(),
            ))
        }
    }
    handshake_signatures!(verify_tls12_signature, verify_tls13_signature);
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.1.signature_verification_algorithms.supported_schemes()
    }
}

pub(crate) async fn connect(
    address: &str,
    tls: Option<(&ClientIdentity, Vec<u8>)>,
) -> Result<Channel, tonic::transport::Error> {
    let path = address.to_string();
    let endpoint = Endpoint::try_from("http://localhost")?.connect_timeout(Duration::from_secs(5));
    match tls {
        None => {
            endpoint
                .connect_with_connector(tower::service_fn(move |_: Uri| {
                    let path = path.clone();
                    async move {
                        let sock = tokio::net::UnixStream::connect(path).await?;
                        Ok::<_, std::io::Error>(TokioIo::new(sock))
                    }
                }))
                .await
        }
        Some((id, server_cert)) => {
            let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
            let mut cfg = rustls::ClientConfig::builder_with_provider(provider.clone())
                .with_safe_default_protocol_versions()
                .expect("versions")
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(PinnedServer(server_cert, provider)))
                .with_client_auth_cert(
                    vec![id.der.clone()],
                    PrivateKeyDer::Pkcs8(id.key.clone_key()),
                )
                .expect("client auth");
            cfg.alpn_protocols = vec![b"h2".to_vec()];
            let connector = tokio_rustls::TlsConnector::from(Arc::new(cfg));
            endpoint
                .connect_with_connector(tower::service_fn(move |_: Uri| {
                    let connector = connector.clone();
                    let path = path.clone();
                    async move {
                        let sock = tokio::net::UnixStream::connect(path).await?;
                        let name =
                            ServerName::try_from("localhost").map_err(std::io::Error::other)?;
                        let tls = connector.connect(name, sock).await?;
                        Ok::<_, std::io::Error>(TokioIo::new(tls))
                    }
                }))
                .await
        }
    }
}

/// One unary call with an empty request; the response is decoded as `()`
/// (prost skips every field), so any provider's schema is accepted as is.
pub(crate) async fn call_empty(ch: Channel, path: &'static str) -> Result<(), tonic::Status> {
    let mut grpc = tonic::client::Grpc::new(ch);
    grpc.ready()
        .await
        .map_err(|e| tonic::Status::unavailable(e.to_string()))?;
    grpc.unary(
        tonic::Request::new(()),
        PathAndQuery::from_static(path),
        tonic_prost::ProstCodec::<(), ()>::default(),
    )
    .await
    .map(|_| ())
}
