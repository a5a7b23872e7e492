//! Cold-start driver: starts each provider binary as Terraform does and times
//! process start → handshake line → (mTLS) connect → GetSchema → Shutdown →
//! process exit, interleaving the binaries and modes round by round so that
//! machine noise hits all of them alike. Peak RSS comes from `wait4`.
//!
//! Usage: coldstart [--runs N] [--warmup N] [--modes mtls,plain] NAME=PATH...
//!
//! Prints one Markdown table; figures are medians with the 10th–90th
//! percentile range of the measured runs. The child's CPU time (user + sys,
//! from `wait4`) is printed too: it moves much less than wall time when the
//! machine is shared.

use base64::Engine;
use hyper_util::rt::TokioIo;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tonic::codegen::http::uri::PathAndQuery;
use tonic::transport::{Channel, Endpoint, Uri};

const COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// go-plugin's client identity: ECDSA P-521, self-signed, CA flag set.
struct ClientIdentity {
    pem: String,
    der: CertificateDer<'static>,
    key: PrivatePkcs8KeyDer<'static>,
}

fn client_identity() -> ClientIdentity {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("P-521 key");
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("params");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "localhost");
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "HashiCorp");
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
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(m, c, d, &self.1.signature_verification_algorithms)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(m, c, d, &self.1.signature_verification_algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.1.signature_verification_algorithms.supported_schemes()
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Mtls,
    Plain,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Mtls => "mTLS",
            Mode::Plain => "no TLS",
        }
    }
}

struct Sample {
    handshake_ms: f64,
    total_ms: f64,
    maxrss_kb: i64,
    cpu_ms: f64,
    tls: bool,
}

struct Target {
    name: String,
    path: String,
}

async fn connect(
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
async fn call_empty(ch: Channel, path: &'static str) -> Result<(), tonic::Status> {
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

fn wait4(pid: i32) -> (libc::c_int, libc::rusage) {
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data; wait4 fills it in.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own unreaped child; the pointers are valid.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    assert_eq!(r, pid, "wait4: {}", std::io::Error::last_os_error());
    (status, ru)
}

fn run_once(
    rt: &tokio::runtime::Runtime,
    target: &Target,
    mode: Mode,
    id: &ClientIdentity,
) -> Result<Sample, String> {
    let sockdir = std::env::temp_dir();
    let mut cmd = Command::new(&target.path);
    cmd.env(COOKIE_KEY, COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_UNIX_SOCKET_DIR", &sockdir)
        .env_remove("TF_LOG")
        .env_remove("TF_LOG_PROVIDER")
        .env_remove("PLUGIN_CLIENT_CERT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if mode == Mode::Mtls {
        cmd.env("PLUGIN_CLIENT_CERT", &id.pem);
    }
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("spawn {}: {e}", target.path))?;
    let pid = child.id() as i32;
    // A watchdog: a plugin that does not exit within 10 s is killed.
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if done_rx.recv_timeout(Duration::from_secs(10)).is_err() {
            // SAFETY: sending a signal to our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    });
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    let read = BufReader::new(stdout).read_line(&mut line);
    let handshake = start.elapsed();
    let outcome = (|| -> Result<bool, String> {
        read.map_err(|e| format!("handshake line: {e}"))?;
        let parts: Vec<&str> = line.trim().split('|').collect();
        if parts.len() < 5 || parts[2] != "unix" || parts[4] != "grpc" {
            return Err(format!("unexpected handshake line {line:?}"));
        }
        let schema_path = match parts[1] {
            "5" => "/tfplugin5.Provider/GetSchema",
            "6" => "/tfplugin6.Provider/GetProviderSchema",
            v => return Err(format!("app protocol {v}")),
        };
        let cert = parts
            .get(5)
            .filter(|c| !c.is_empty())
            .map(|c| {
                base64::engine::general_purpose::STANDARD_NO_PAD
                    .decode(c.trim_end_matches('='))
                    .map_err(|e| format!("server cert: {e}"))
            })
            .transpose()?;
        if mode == Mode::Mtls && cert.is_none() {
            return Err("asked for AutoMTLS but the plugin announced no certificate".into());
        }
        let tls = cert.is_some();
        let address = parts[3].to_string();
        rt.block_on(async {
            let ch = connect(&address, cert.map(|c| (id, c)))
                .await
                .map_err(|e| format!("connect: {e:?}"))?;
            call_empty(ch.clone(), schema_path)
                .await
                .map_err(|e| format!("GetSchema: {e}"))?;
            // As go-plugin's client does, a Shutdown whose reply is lost
            // because the plugin already closed the connection is fine (old
            // go-plugin servers stop before answering); the exit is what counts.
            let _ = call_empty(ch, "/plugin.GRPCController/Shutdown").await;
            Ok::<_, String>(())
        })?;
        Ok(tls)
    })();
    // Wait for the exit while the runtime keeps running, so that the
    // dropped channel's connection is really closed now (as go-plugin closes
    // its connection right after Shutdown), not at the next `block_on`.
    let (status, ru) = rt.block_on(async {
        tokio::task::spawn_blocking(move || wait4(pid))
            .await
            .expect("wait4 task")
    });
    let total = start.elapsed();
    let _ = done_tx.send(());
    let _ = watchdog.join();
    drop(child);
    let tls = outcome?;
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        return Err(format!("exit status {status:#x}"));
    }
    Ok(Sample {
        handshake_ms: handshake.as_secs_f64() * 1e3,
        total_ms: total.as_secs_f64() * 1e3,
        maxrss_kb: ru.ru_maxrss,
        cpu_ms: (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) as f64 * 1e3
            + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) as f64 / 1e3,
        tls,
    })
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn main() {
    let mut runs = 30usize;
    let mut warmup = 3usize;
    let mut modes = vec![Mode::Mtls, Mode::Plain];
    let mut targets = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).expect("--runs N"),
            "--warmup" => {
                warmup = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--warmup N")
            }
            "--modes" => {
                modes = args
                    .next()
                    .expect("--modes mtls,plain")
                    .split(',')
                    .map(|m| match m {
                        "mtls" => Mode::Mtls,
                        "plain" => Mode::Plain,
                        other => panic!("unknown mode {other}"),
                    })
                    .collect()
            }
            t => {
                let (name, path) = t.split_once('=').expect("NAME=PATH");
                targets.push(Target {
                    name: name.into(),
                    path: path.into(),
                });
            }
        }
    }
    assert!(
        !targets.is_empty(),
        "usage: coldstart [--runs N] [--warmup N] [--modes mtls,plain] NAME=PATH..."
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let id = client_identity();
    let mut samples: Vec<Vec<Vec<Sample>>> = targets
        .iter()
        .map(|_| modes.iter().map(|_| Vec::new()).collect())
        .collect();
    let mut failures: Vec<String> = Vec::new();
    for round in 0..warmup + runs {
        for (ti, t) in targets.iter().enumerate() {
            for (mi, &m) in modes.iter().enumerate() {
                match run_once(&rt, t, m, &id) {
                    Ok(s) if round >= warmup => samples[ti][mi].push(s),
                    Ok(_) => {}
                    Err(e) => failures.push(format!("{} ({}): {e}", t.name, m.name())),
                }
            }
        }
    }
    println!(
        "| binary | mode | runs | start → handshake line (ms) | start → GetSchema → Shutdown → exit (ms), median [p10–p90] | CPU user+sys (ms) | peak RSS (MB) |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|");
    for (ti, t) in targets.iter().enumerate() {
        for (mi, &m) in modes.iter().enumerate() {
            let s = &samples[ti][mi];
            if s.is_empty() {
                println!("| {} | {} | 0 | – | – | – | – |", t.name, m.name());
                continue;
            }
            let mut hs: Vec<f64> = s.iter().map(|x| x.handshake_ms).collect();
            let mut tot: Vec<f64> = s.iter().map(|x| x.total_ms).collect();
            let mut rss: Vec<f64> = s.iter().map(|x| x.maxrss_kb as f64 / 1024.0).collect();
            let mut cpu: Vec<f64> = s.iter().map(|x| x.cpu_ms).collect();
            cpu.sort_by(f64::total_cmp);
            hs.sort_by(f64::total_cmp);
            tot.sort_by(f64::total_cmp);
            rss.sort_by(f64::total_cmp);
            let mode = if m == Mode::Mtls && !s.iter().all(|x| x.tls) {
                "mTLS (not offered)"
            } else {
                m.name()
            };
            println!(
                "| {} | {} | {} | {:.1} | **{:.1}** [{:.1}–{:.1}] | {:.1} | {:.1} |",
                t.name,
                mode,
                s.len(),
                pct(&hs, 0.5),
                pct(&tot, 0.5),
                pct(&tot, 0.1),
                pct(&tot, 0.9),
                pct(&cpu, 0.5),
                pct(&rss, 0.5),
            );
        }
    }
    if !failures.is_empty() {
        eprintln!("{} failed runs:", failures.len());
        for f in failures.iter().take(10) {
            eprintln!("  {f}");
        }
        std::process::exit(1);
    }
}
