//! Protocol tests: start the provider exactly as Terraform does (magic
//! cookie, PLUGIN_PROTOCOL_VERSIONS, a P-521 client certificate in
//! PLUGIN_CLIENT_CERT), read the handshake, and call RPCs over mTLS.

use crate::support::provider_binary;
use base64::Engine;
use hyper_util::rt::TokioIo;
use rustls::pki_types::{CertificateDer, ServerName};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;
use tfld::protocol::proto::plugin::grpc_controller_client::GrpcControllerClient;
use tfld::protocol::proto::tfplugin5 as pb;
use tfld::protocol::proto::tfplugin5::provider_client::ProviderClient;
use tfld::transport::tls::test_client::P521ClientIdentity;
use tonic::transport::{Channel, Endpoint, Uri};

const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// A client identity like go-plugin's: ECDSA P-521, self-signed, CA flag set
/// (made and used in pure Rust: the *ring* provider cannot sign with P-521).
type ClientIdentity = P521ClientIdentity;

fn client_identity() -> ClientIdentity {
    P521ClientIdentity::generate()
}

struct Plugin {
    child: Child,
    network: String,
    address: String,
    server_cert: Vec<u8>,
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(client_cert_pem: Option<&str>) -> Plugin {
    start_with(client_cert_pem, &[])
}

fn start_with(client_cert_pem: Option<&str>, env: &[(&str, &str)]) -> Plugin {
    let mut cmd = Command::new(provider_binary());
    cmd.envs(env.iter().copied());
    cmd.env(tfld::transport::handshake::COOKIE_KEY, COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "6,5")
        .env_remove("TF_LOG")
        .env_remove("TF_LOG_PROVIDER")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(pem) = client_cert_pem {
        cmd.env("PLUGIN_CLIENT_CERT", pem);
    }
    let mut child = cmd.spawn().expect("spawn provider");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("handshake line");
    let parts: Vec<&str> = line.trim().split('|').collect();
    assert_eq!(parts.len(), 6, "handshake line: {line:?}");
    assert_eq!(&parts[..2], &["1", "5"], "core and app protocol version");
    assert_eq!(parts[4], "grpc");
    assert!(
        !parts[5].ends_with('='),
        "server cert must be unpadded base64"
    );
    let server_cert = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(parts[5])
        .unwrap_or_default();
    Plugin {
        child,
        network: parts[2].into(),
        address: parts[3].into(),
        server_cert,
    }
}

async fn connect(p: &Plugin, id: &ClientIdentity) -> Result<Channel, tonic::transport::Error> {
    assert_eq!(p.network, "unix");
    let cfg = id.client_config(CertificateDer::from(p.server_cert.clone()));
    let connector = tokio_rustls::TlsConnector::from(Arc::new(cfg));
    let path = p.address.clone();
    Endpoint::try_from("http://localhost")?
        .connect_timeout(Duration::from_secs(5))
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let connector = connector.clone();
            let path = path.clone();
            async move {
                let sock = tokio::net::UnixStream::connect(path).await?;
                let name = ServerName::try_from("localhost").map_err(std::io::Error::other)?;
                let tls = connector.connect(name, sock).await?;
                Ok::<_, std::io::Error>(TokioIo::new(tls))
            }
        }))
        .await
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn wait_exit(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if let Ok(Some(s)) = child.try_wait() {
            return Some(s);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn mtls_get_schema_stop_and_shutdown() {
    let id = client_identity();
    let mut p = start(Some(&id.pem));
    assert!(
        !p.server_cert.is_empty(),
        "AutoMTLS: the handshake must carry the server certificate"
    );
    rt().block_on(async {
        let ch = connect(&p, &id).await.expect("mTLS connect");
        let mut provider = ProviderClient::new(ch.clone());
        let schema = provider
            .get_schema(pb::get_provider_schema::Request {})
            .await
            .expect("GetSchema")
            .into_inner();
        let caps = schema.server_capabilities.expect("capabilities");
        assert!(caps.plan_destroy && caps.get_provider_schema_optional);
        let block = schema
            .provider
            .and_then(|s| s.block)
            .expect("provider block");
        let token = block
            .attributes
            .iter()
            .find(|a| a.name == "access_token")
            .expect("access_token");
        assert!(token.sensitive);
        // grpc.health.v1: service "plugin" is SERVING.
        let health = tonic_health::pb::health_client::HealthClient::new(ch.clone())
            .check(tonic_health::pb::HealthCheckRequest {
                service: "plugin".into(),
            })
            .await
            .expect("health check")
            .into_inner();
        assert_eq!(
            health.status,
            tonic_health::pb::health_check_response::ServingStatus::Serving as i32
        );
        // Messages far above tonic's 4 MiB default are accepted (Terraform
        // sends large states): an 8 MiB value is decoded, and a bad one is a
        // diagnostic, not a transport error.
        let mut big = vec![0xdb];
        big.extend_from_slice(&(8u32 << 20).to_be_bytes());
        big.extend(std::iter::repeat_n(b'a', 8 << 20));
        let v = provider
            .validate_resource_type_config(pb::validate_resource_type_config::Request {
                type_name: "launchdarkly_access_token".into(),
                config: Some(pb::DynamicValue {
                    msgpack: big,
                    json: vec![],
                }),
                client_capabilities: None,
            })
            .await
            .expect("an 8 MiB request is within the message limit")
            .into_inner();
        assert!(
            v.diagnostics[0]
                .summary
                .contains("Invalid resource configuration"),
            "{:?}",
            v.diagnostics
        );
        // Stop cancels work but keeps serving.
        provider.stop(pb::stop::Request {}).await.expect("Stop");
        provider
            .get_schema(pb::get_provider_schema::Request {})
            .await
            .expect("still serving after Stop");
        // Unknown resource types are diagnostics, not transport errors.
        let v = provider
            .validate_resource_type_config(pb::validate_resource_type_config::Request {
                type_name: "launchdarkly_nope".into(),
                ..Default::default()
            })
            .await
            .expect("ValidateResourceTypeConfig")
            .into_inner();
        assert!(
            v.diagnostics[0].summary.contains("Unknown resource type"),
            "{:?}",
            v.diagnostics
        );
        // GRPCStdio is served (no Unimplemented for Terraform to log) and
        // carries nothing: it ends when the plugin shuts down.
        let mut stdio =
            tfld::protocol::proto::plugin::grpc_stdio_client::GrpcStdioClient::new(ch.clone())
                .stream_stdio(())
                .await
                .expect("StreamStdio")
                .into_inner();
        GrpcControllerClient::new(ch)
            .shutdown(tfld::protocol::proto::plugin::Empty {})
            .await
            .expect("Shutdown");
        let next = tokio::time::timeout(Duration::from_secs(5), stdio.message()).await;
        assert!(
            matches!(next, Ok(Ok(None)) | Ok(Err(_))),
            "the stdio stream ends at shutdown without data: {next:?}"
        );
    });
    let status =
        wait_exit(&mut p.child, Duration::from_secs(5)).expect("provider must exit after Shutdown");
    assert!(status.success(), "exit status {status:?}");
    assert!(
        !std::path::Path::new(&p.address).exists(),
        "socket must be removed on exit"
    );
}

#[test]
fn socket_lives_in_a_private_dir_under_plugin_unix_socket_dir_and_is_removed() {
    use std::os::unix::fs::PermissionsExt;
    let base = tempfile::tempdir().expect("tempdir");
    let id = client_identity();
    let mut p = start_with(
        Some(&id.pem),
        &[("PLUGIN_UNIX_SOCKET_DIR", &base.path().display().to_string())],
    );
    let sock = std::path::PathBuf::from(&p.address);
    assert!(
        sock.starts_with(base.path()),
        "{} not under PLUGIN_UNIX_SOCKET_DIR",
        sock.display()
    );
    let dir = sock.parent().expect("socket dir");
    let mode = std::fs::metadata(dir).expect("dir").permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "the socket's directory is private");
    rt().block_on(async {
        let ch = connect(&p, &id).await.expect("connect");
        GrpcControllerClient::new(ch)
            .shutdown(tfld::protocol::proto::plugin::Empty {})
            .await
            .expect("Shutdown");
    });
    wait_exit(&mut p.child, Duration::from_secs(5)).expect("exit after Shutdown");
    assert!(!dir.exists(), "socket directory removed on exit");
}

#[test]
fn a_different_client_certificate_is_refused() {
    let announced = client_identity();
    let intruder = client_identity();
    let p = start(Some(&announced.pem));
    rt().block_on(async {
        let res = match connect(&p, &intruder).await {
            Err(e) => Err(e.to_string()),
            Ok(ch) => ProviderClient::new(ch)
                .get_schema(pb::get_provider_schema::Request {})
                .await
                .map(|_| ())
                .map_err(|s| s.to_string()),
        };
        assert!(
            res.is_err(),
            "a client with another certificate must not be served"
        );
    });
}

#[test]
fn sigint_is_ignored() {
    let id = client_identity();
    let p = start(Some(&id.pem));
    let pid = p.child.id().to_string();
    let killed = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    rt().block_on(async {
        let ch = connect(&p, &id).await.expect("connect after SIGINT");
        ProviderClient::new(ch)
            .get_schema(pb::get_provider_schema::Request {})
            .await
            .expect("serving after SIGINT");
    });
}

#[test]
fn wrong_cookie_exits_1_with_a_message() {
    let out = Command::new(provider_binary())
        .env(tfld::transport::handshake::COOKIE_KEY, "wrong")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing on stdout");
    assert!(String::from_utf8_lossy(&out.stderr).contains("This binary is a plugin"));
}

#[test]
fn protocol_5_not_offered_is_a_clear_error() {
    let out = Command::new(provider_binary())
        .env(tfld::transport::handshake::COOKIE_KEY, COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "6")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("only speaks protocol 5") && err.contains("\"6\""),
        "{err}"
    );
}
