//! Serving a provider the way go-plugin does: check the cookie, negotiate
//! protocol 5, bind the private unix socket, set up AutoMTLS when Terraform
//! sent a client certificate, register the gRPC services, print the
//! handshake line, ignore SIGINT, and exit promptly on `Shutdown`.

use super::conn::Conn;
use super::controller::Controller;
use super::handshake::{self, HandshakeError};
use super::socket::PluginSocket;
use super::stdio::Stdio;
use super::tls::{self, TlsSetupError};
use crate::framework::Provider;
use crate::protocol::ProviderService;
use crate::protocol::proto::plugin::grpc_controller_server::GrpcControllerServer;
use crate::protocol::proto::plugin::grpc_stdio_server::GrpcStdioServer;
use crate::protocol::proto::tfplugin5::provider_server::ProviderServer;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;

/// Terraform sends unbounded messages; terraform-plugin-go allows 256 MiB.
pub const MAX_MESSAGE_BYTES: usize = 256 << 20;
/// How long a connection may take to finish its TLS handshake.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long in-flight calls get after Shutdown (Terraform kills us at 2 s).
const DRAIN_AFTER_SHUTDOWN: Duration = Duration::from_millis(800);

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// `--debug`: no cookie, no TLS, print `TF_REATTACH_PROVIDERS`, stop on Ctrl-C.
    pub debug: bool,
    /// Full provider source address, e.g. `registry.terraform.io/example/example`.
    pub provider_address: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Handshake(#[from] HandshakeError),
    #[error("could not create the plugin socket: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Tls(#[from] TlsSetupError),
    #[error("gRPC server failed: {0}")]
    Transport(#[from] tonic::transport::Error),
}

fn env(key: &str) -> Option<String> {
    std::env::var(key).ok().filter(|v| !v.is_empty())
}

/// Serves `provider` until Terraform calls `Shutdown` (or, in debug mode,
/// until Ctrl-C / SIGTERM). Returns after the socket is removed.
pub async fn serve(provider: Arc<dyn Provider>, opts: ServeOptions) -> Result<(), ServeError> {
    if !opts.debug {
        handshake::check_cookie(env(handshake::COOKIE_KEY).as_deref())?;
    }
    let version = if opts.debug {
        handshake::PROTOCOL_VERSION
    } else {
        handshake::negotiate(env("PLUGIN_PROTOCOL_VERSIONS").as_deref())?
    };
    let socket_dir = env("PLUGIN_UNIX_SOCKET_DIR").map(std::path::PathBuf::from);
    let (mut socket, listener) = PluginSocket::bind(socket_dir.as_deref())?;

    let client_cert = if opts.debug {
        None
    } else {
        env("PLUGIN_CLIENT_CERT")
    };
    let (acceptor, server_cert) = match client_cert {
        Some(pem) => {
            let identity = tls::generate_identity()?;
            let cfg = tls::server_config(&identity, tls::parse_client_cert(&pem)?)?;
            (Some(TlsAcceptor::from(cfg)), Some(identity.cert_der))
        }
        None => (None, None),
    };

    let shutdown = CancellationToken::new();
    spawn_signal_handlers(shutdown.clone(), opts.debug);

    let (health, health_service) = tonic_health::server::health_reporter();
    health
        .set_service_status("plugin", tonic_health::ServingStatus::Serving)
        .await;
    let service = ProviderServer::new(ProviderService::new(provider))
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(MAX_MESSAGE_BYTES);
    let stdio = GrpcStdioServer::new(Stdio {
        shutdown: shutdown.clone(),
    });
    let controller = GrpcControllerServer::new(Controller {
        shutdown: shutdown.clone(),
    });

    let incoming = accept_loop(listener, acceptor, shutdown.clone());
    let stop = shutdown.clone();
    let server = tokio::spawn(
        tonic::transport::Server::builder().serve_with_incoming_shutdown(
            super::routes::Routes::default()
                .with(health_service)
                .with(controller)
                .with(stdio)
                .with(service),
            incoming,
            async move { stop.cancelled().await },
        ),
    );

    let path = socket.path.display().to_string();
    if opts.debug {
        print_reattach(&opts.provider_address, &path);
    } else {
        let line = handshake::handshake_line(
            version,
            "unix",
            &path,
            server_cert.as_ref().map(|c| c.as_ref()),
        );
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}")?;
        out.flush()?;
    }
    tracing::info!(socket = %path, tls = server_cert.is_some(), "provider serving plugin protocol 5");

    shutdown.cancelled().await;
    match tokio::time::timeout(DRAIN_AFTER_SHUTDOWN, server).await {
        Ok(Ok(Err(e))) => tracing::warn!(error = %e, "gRPC server ended with an error"),
        Err(_) => tracing::debug!("in-flight calls still running at shutdown; exiting anyway"),
        _ => {}
    }
    socket.cleanup();
    Ok(())
}

/// Accepts connections and (when TLS is on) completes each handshake in its
/// own task, so one slow or hostile peer cannot block the others.
fn accept_loop(
    listener: tokio::net::UnixListener,
    acceptor: Option<TlsAcceptor>,
    shutdown: CancellationToken,
) -> impl tokio_stream::Stream<Item = Result<Conn, std::io::Error>> {
    let (tx, rx) = mpsc::channel::<Conn>(16);
    tokio::spawn(async move {
        loop {
            let stream = tokio::select! {
                _ = shutdown.cancelled() => break,
                r = listener.accept() => match r {
                    Ok((s, _)) => s,
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        continue;
                    }
                },
            };
            let tx = tx.clone();
            match &acceptor {
                None => {
                    let _ = tx.send(Conn::Plain(stream)).await;
                }
                Some(acc) => {
                    let acc = acc.clone();
                    tokio::spawn(async move {
                        match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acc.accept(stream)).await
                        {
                            Ok(Ok(tls)) => {
                                let _ = tx.send(Conn::Tls(Box::new(tls))).await;
                            }
                            Ok(Err(e)) => tracing::warn!(error = %e, "TLS handshake refused"),
                            Err(_) => tracing::warn!("TLS handshake timed out"),
                        }
                    });
                }
            }
        }
    });
    ReceiverStream::new(rx).map(Ok)
}

fn spawn_signal_handlers(shutdown: CancellationToken, debug: bool) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut int), Ok(mut term)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        tracing::warn!("could not install signal handlers");
        return;
    };
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = int.recv() => {
                    if debug {
                        shutdown.cancel();
                        break;
                    }
                    // Ctrl-C reaches the whole process group; Terraform follows
                    // up with Stop and Shutdown, so the provider must not die here.
                    tracing::debug!("SIGINT received (ignored; Terraform will call Stop)");
                }
                _ = term.recv() => {
                    shutdown.cancel();
                    break;
                }
            }
        }
    });
}

fn print_reattach(address: &str, socket: &str) {
    let reattach = serde_json::json!({
        address: {
            "Protocol": "grpc",
            "ProtocolVersion": 5,
            "Pid": std::process::id(),
            "Test": true,
            "Addr": {"Network": "unix", "String": socket},
        }
    });
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:\n\n\tTF_REATTACH_PROVIDERS='{reattach}'\n"
    );
    let _ = out.flush();
}
