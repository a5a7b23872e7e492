//! One measured start of a provider binary: spawn it as Terraform does, read the
//! handshake line, connect, GetSchema, Shutdown, and reap it with `wait4`.

use crate::grpc::{call_empty, connect};
use crate::identity::ClientIdentity;
use base64::Engine;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Mode {
    Mtls,
    Plain,
}

impl Mode {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Mode::Mtls => "mTLS",
            Mode::Plain => "no TLS",
        }
    }
}

pub(crate) struct Sample {
    pub(crate) handshake_ms: f64,
    pub(crate) total_ms: f64,
    pub(crate) maxrss_kb: i64,
    pub(crate) cpu_ms: f64,
    pub(crate) tls: bool,
}

pub(crate) struct Target {
    pub(crate) name: String,
    pub(crate) path: String,
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

pub(crate) fn run_once(
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
