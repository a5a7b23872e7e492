//! A provider registry on loopback HTTPS (the provider registry protocol: service discovery,
//! versions, download with SHA256SUMS, its signature and the signing key), serving a release
//! directory made by `scripts/release.sh`. Terraform trusts its self-signed certificate
//! through `SSL_CERT_FILE`. Used by `install.rs` to show what `terraform init` does with the
//! release exactly as the public registry would serve it.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

pub struct Registry {
    /// `localhost:PORT`, the host part of the provider's source address.
    pub host: String,
    /// The PEM certificate to give Terraform as `SSL_CERT_FILE`.
    pub cert: PathBuf,
    /// Paths requested so far.
    pub requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    _dir: tempfile::TempDir,
}

pub struct Package {
    pub namespace: String,
    pub kind: String,
    pub version: String,
    /// The release directory.
    pub dist: PathBuf,
    pub zip: String,
    pub sums: String,
    /// The signing key, ASCII-armored, and its ID.
    pub key_armor: String,
    pub key_id: String,
}

/// A self-signed certificate for `localhost` (openssl CLI); None when openssl is missing.
fn certificate(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let o = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
        ])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .ok()?;
    o.status.success().then_some((cert, key))
}

impl Registry {
    /// Starts serving `pkg`; None (with the reason printed) when openssl is not installed.
    pub fn start(pkg: Package) -> Option<Registry> {
        let dir = tempfile::tempdir().expect("tempdir");
        let Some((cert, key)) = certificate(dir.path()) else {
            println!("skipped: openssl is not installed (needed for the registry's certificate)");
            return None;
        };
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&cert)
            .expect("cert pem")
            .collect::<Result<_, _>>()
            .expect("certs");
        let key = PrivateKeyDer::from_pem_file(&key).expect("key pem");
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("tls versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server config");
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let host = format!("localhost:{port}");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let pkg = Arc::new(pkg);
        {
            let (requests, stop, host) = (requests.clone(), stop.clone(), host.clone());
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let (config, pkg, requests, host) =
                        (config.clone(), pkg.clone(), requests.clone(), host.clone());
                    std::thread::spawn(move || {
                        let _ = serve(conn, config, &pkg, &requests, &host);
                    });
                }
            });
        }
        Some(Registry {
            host,
            cert,
            requests,
            stop,
            _dir: dir,
        })
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let port = self.host.rsplit(':').next().unwrap_or_default();
        let _ = TcpStream::connect(format!("127.0.0.1:{port}"));
    }
}

fn serve(
    tcp: TcpStream,
    config: Arc<rustls::ServerConfig>,
    pkg: &Package,
    requests: &Mutex<Vec<String>>,
    host: &str,
) -> std::io::Result<()> {
    let conn = rustls::ServerConnection::new(config).map_err(std::io::Error::other)?;
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    let path = {
        let mut reader = BufReader::new(&mut tls);
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let path = line.split(' ').nth(1).unwrap_or_default().to_owned();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h)? == 0 || h == "\r\n" {
                break;
            }
        }
        path
    };
    if let Ok(mut r) = requests.lock() {
        r.push(path.clone());
    }
    let (status, body) = route(&path, pkg, host);
    write!(
        tls,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    tls.write_all(&body)?;
    tls.conn.send_close_notify();
    tls.flush()
}

fn route(path: &str, pkg: &Package, host: &str) -> (&'static str, Vec<u8>) {
    let base = format!("/v1/providers/{}/{}/", pkg.namespace, pkg.kind);
    let json = |v: serde_json::Value| ("200 OK", v.to_string().into_bytes());
    if path == "/.well-known/terraform.json" {
        return json(serde_json::json!({"providers.v1": "/v1/providers/"}));
    }
    if path == format!("{base}versions") {
        return json(serde_json::json!({"versions": [{
            "version": pkg.version, "protocols": ["5.0"],
            "platforms": [{"os": "linux", "arch": "amd64"}]
        }]}));
    }
    if path == format!("{base}{}/download/linux/amd64", pkg.version) {
        let sums = std::fs::read_to_string(pkg.dist.join(&pkg.sums)).unwrap_or_default();
        let shasum = sums
            .lines()
            .find(|l| l.ends_with(&format!("  {}", pkg.zip)))
            .and_then(|l| l.split_whitespace().next())
            .unwrap_or_default()
            .to_owned();
        let file = |n: &str| format!("https://{host}/files/{n}");
        return json(serde_json::json!({
            "protocols": ["5.0"], "os": "linux", "arch": "amd64",
            "filename": pkg.zip, "download_url": file(&pkg.zip),
            "shasums_url": file(&pkg.sums),
            "shasums_signature_url": file(&format!("{}.sig", pkg.sums)),
            "shasum": shasum,
            "signing_keys": {"gpg_public_keys": [{
                "key_id": pkg.key_id, "ascii_armor": pkg.key_armor,
            }]}
        }));
    }
    if let Some(name) = path.strip_prefix("/files/") {
        if !name.contains('/') {
            if let Ok(b) = std::fs::read(pkg.dist.join(name)) {
                return ("200 OK", b);
            }
        }
    }
    ("404 Not Found", b"{\"errors\":[\"not found\"]}".to_vec())
}
