//! `launchdarkly-emulator`: runs the local LaunchDarkly API emulator as a process (CI sidecar,
//! manual testing). Prints `listening on http://ADDR` as its first stdout line (and
//! `admin-key <key>` as the second when the key was generated), then serves until SIGTERM or
//! SIGINT. See `docs/emulator.md`.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::Parser;
use launchdarkly_emulator::{
    DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_LOGGED_REQUESTS, Emulator, EmulatorConfig, Faults,
    LostResponse, Preload, RateLimitStyle,
};

#[derive(Debug, Parser)]
#[command(
    name = "launchdarkly-emulator",
    version,
    about = "Local emulator of the LaunchDarkly access-token API"
)]
struct Args {
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to bind (0 = any free port; the chosen one is printed).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Admin key(s) to seed as admin personal tokens (also unlock /_emulator/). Generated and
    /// printed when not given.
    #[arg(
        long = "admin-key",
        env = "LD_EMULATOR_ADMIN_KEY",
        value_delimiter = ','
    )]
    admin_keys: Vec<String>,
    /// Custom role fixture as KEY or KEY=Name (repeatable). Default: ci-reader, deployer, auditor.
    #[arg(long = "custom-role")]
    custom_roles: Vec<String>,
    /// Start with the custom roles and tokens of this JSON file (docs/emulator.md, "Preloading").
    #[arg(long)]
    preload: Option<PathBuf>,
    /// Persist state to this JSON file (loaded at start if it exists).
    #[arg(long)]
    state_file: Option<PathBuf>,
    /// Most request log records kept (the newest; older ones are dropped and counted).
    #[arg(long, default_value_t = DEFAULT_MAX_LOGGED_REQUESTS)]
    max_logged_requests: usize,
    /// Largest request body accepted, in bytes (larger: 413 `payload_too_large`).
    #[arg(long, default_value_t = DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,
    /// Requests allowed per rate-limit window (default: unlimited).
    #[arg(long)]
    rate_limit: Option<u32>,
    /// Rate-limit window in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    rate_limit_window_ms: u64,
    /// Rate-limit headers: global, route, auth-token, retry-after, none.
    #[arg(long, default_value = "global")]
    rate_limit_style: String,
    /// Fraction (0..1) of API requests answered with a 5xx.
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// Status of injected errors.
    #[arg(long, default_value_t = 503)]
    error_status: u16,
    /// Latency added to each API request, ms.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Fraction (0..1) of API requests whose connection is dropped.
    #[arg(long, default_value_t = 0.0)]
    drop_rate: f64,
    /// The next N creates store the token but lose the response.
    #[arg(long, default_value_t = 0)]
    lose_next_creates: u32,
    /// How lost create responses are lost: drop or error.
    #[arg(long, default_value = "drop")]
    lost_create_mode: String,
    /// Seed for random faults.
    #[arg(long)]
    seed: Option<u64>,
}

fn style(s: &str) -> Result<RateLimitStyle, String> {
    Ok(match s {
        "global" => RateLimitStyle::Global,
        "route" => RateLimitStyle::Route,
        "auth-token" => RateLimitStyle::AuthToken,
        "retry-after" => RateLimitStyle::RetryAfter,
        "none" => RateLimitStyle::None,
        other => return Err(format!("unknown --rate-limit-style {other:?}")),
    })
}

fn lost_mode(s: &str) -> Result<LostResponse, String> {
    match s {
        "drop" => Ok(LostResponse::Drop),
        "error" => Ok(LostResponse::ServerError),
        other => Err(format!("unknown --lost-create-mode {other:?}")),
    }
}

async fn wait_for_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => ctrl_c.await,
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LD_EMULATOR_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let args = Args::parse();
    let faults = match (
        style(&args.rate_limit_style),
        lost_mode(&args.lost_create_mode),
    ) {
        (Ok(rate_limit_style), Ok(lost_create_mode)) => Faults {
            rate_limit: args.rate_limit,
            rate_limit_window_ms: args.rate_limit_window_ms,
            rate_limit_style,
            retry_after_secs: None,
            error_rate: args.error_rate,
            error_status: args.error_status,
            latency_ms: args.latency_ms,
            drop_rate: args.drop_rate,
            lose_next_creates: args.lose_next_creates,
            lost_create_mode,
            fail_next_creates: 0,
            fail_next_resets: 0,
            conflict_next_patches: 0,
            oversize_next_lists: 0,
            oversized_list_bytes: Faults::default().oversized_list_bytes,
            seed: args.seed,
        },
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("launchdarkly-emulator: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let mut config = EmulatorConfig {
        bind: SocketAddr::new(args.host, args.port),
        admin_keys: args
            .admin_keys
            .iter()
            .filter(|k| !k.is_empty())
            .cloned()
            .collect(),
        faults,
        state_file: args.state_file,
        max_logged_requests: args.max_logged_requests,
        max_body_bytes: args.max_body_bytes,
        ..EmulatorConfig::default()
    };
    if !args.custom_roles.is_empty() {
        config.custom_roles = args
            .custom_roles
            .iter()
            .map(|r| match r.split_once('=') {
                Some((k, n)) => (k.to_owned(), n.to_owned()),
                None => (r.clone(), r.clone()),
            })
            .collect();
    }
    let preload = match args.preload.as_deref().map(Preload::load).transpose() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("launchdarkly-emulator: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let generated = config.admin_keys.is_empty();
    let handle = match Emulator::start(config).await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("launchdarkly-emulator: could not start: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    if let Some(p) = &preload {
        if let Err(e) = handle.preload(p) {
            eprintln!("launchdarkly-emulator: preload: {e}");
            let _ = handle.shutdown().await;
            return std::process::ExitCode::from(2);
        }
    }
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", handle.base_url());
        if generated {
            let _ = writeln!(out, "admin-key {}", handle.admin_key());
        }
        let _ = out.flush();
    }
    wait_for_signal().await;
    match handle.shutdown().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("launchdarkly-emulator: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
