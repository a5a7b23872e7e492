//! Logs as Terraform wants them: hclog JSON lines on stderr (`@level`,
//! `@message`, `@module`, `@timestamp` with exactly six fractional digits),
//! filtered by `TF_LOG_PROVIDER` (else `TF_LOG`). A panic hook prints
//! `panic: …` so Terraform's crash reporter shows it. Nothing secret is ever
//! passed to a log macro; see `crate::secret` for the redacting type.

use std::io::Write;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

/// The `@module` every line carries: `provider.<type name>`, set once by [`init`].
static MODULE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// The `@module` of this process's log lines (`provider` before [`init`]).
pub fn module() -> &'static str {
    MODULE.get().map(String::as_str).unwrap_or("provider")
}

/// Parses a Terraform log level (`TRACE`…`ERROR`, `JSON` = trace, `OFF`).
pub fn parse_level(s: &str) -> Option<Option<Level>> {
    match s.trim().to_ascii_uppercase().as_str() {
        "TRACE" | "JSON" => Some(Some(Level::TRACE)),
        "DEBUG" => Some(Some(Level::DEBUG)),
        "INFO" => Some(Some(Level::INFO)),
        "WARN" => Some(Some(Level::WARN)),
        "ERROR" => Some(Some(Level::ERROR)),
        "OFF" | "" => Some(None),
        _ => None,
    }
}

/// The level from the environment: `TF_LOG_PROVIDER` wins over `TF_LOG`;
/// an unrecognised value means TRACE, as in Terraform.
pub fn level_from_env() -> Option<Level> {
    let v = std::env::var("TF_LOG_PROVIDER")
        .ok()
        .filter(|v| !v.is_empty())
        .or_else(|| std::env::var("TF_LOG").ok())?;
    parse_level(&v).unwrap_or(Some(Level::TRACE))
}

/// Installs the stderr JSON logger and the panic hook; lines carry `@module`
/// `provider.<provider_type>` (e.g. `provider.example`).
pub fn init(provider_type: &str) {
    let _ = MODULE.set(format!("provider.{provider_type}"));
    install_panic_hook();
    let Some(level) = level_from_env() else {
        return;
    };
    let layer = HclogLayer { max: level };
    let _ = tracing_subscriber::registry().with(layer).try_init();
}

tokio::task_local! {
    /// Set while an RPC body runs under `catch_unwind`: a panic there becomes an error
    /// diagnostic, so it must not print the `panic:` banner that makes Terraform report
    /// "the plugin crashed" at the end of the run.
    static PANICS_RECOVERED: ();
}

/// Runs `fut` with the panic banner off: panics inside it are caught by the caller and
/// reported as diagnostics.
pub async fn recovering_panics<F: std::future::Future>(fut: F) -> F::Output {
    PANICS_RECOVERED.scope((), fut).await
}

/// Whether a panic here would be recovered (and so must not print the crash banner).
pub fn panics_are_recovered() -> bool {
    PANICS_RECOVERED.try_with(|_| ()).is_ok()
}

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        if panics_are_recovered() {
            // Reported as a diagnostic by the RPC guard; the location helps a bug report.
            let location = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            tracing::error!(location = %location, "recovered a panic inside an RPC");
            return;
        }
        // Plain text on purpose: Terraform recognises lines starting with
        // "panic: " and shows them (plus what follows) in its crash report.
        let bt = std::backtrace::Backtrace::force_capture();
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "panic: {info}\n\n{bt}");
    }));
}

/// Formats one event as an hclog JSON line.
pub fn format_line(
    level: &Level,
    target: &str,
    fields: serde_json::Map<String, serde_json::Value>,
    now: chrono::DateTime<chrono::Utc>,
) -> String {
    let mut obj = serde_json::Map::new();
    let lvl = match *level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    };
    obj.insert("@level".into(), lvl.into());
    obj.insert("@module".into(), module().into());
    obj.insert(
        "@timestamp".into(),
        now.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string().into(),
    );
    obj.insert("target".into(), target.into());
    let mut message = String::new();
    for (k, v) in fields {
        if k == "message" {
            message = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string());
        } else {
            obj.insert(k, v);
        }
    }
    obj.insert("@message".into(), message.into());
    serde_json::Value::Object(obj).to_string()
}

struct HclogLayer {
    max: Level,
}

#[derive(Default)]
struct Fields(serde_json::Map<String, serde_json::Value>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().into(), format!("{value:?}").into());
    }
}

impl<S: Subscriber> Layer<S> for HclogLayer {
    fn enabled(&self, metadata: &tracing::Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        metadata.level() <= &self.max && !noisy(metadata.target(), metadata.level())
    }
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        if meta.level() > &self.max || noisy(meta.target(), meta.level()) {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let line = format_line(meta.level(), meta.target(), fields.0, chrono::Utc::now());
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{line}");
    }
}

/// Transport internals (h2, hyper, rustls) are only interesting at WARN+.
fn noisy(target: &str, level: &Level) -> bool {
    let internal = [
        "h2",
        "hyper",
        "hyper_util",
        "rustls",
        "tonic",
        "tower",
        "reqwest",
    ]
    .iter()
    .any(|p| target == *p || target.starts_with(&format!("{p}::")));
    internal && level > &Level::WARN
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// Reliability defect 2: a panic recovered into a diagnostic must not print the banner
    /// that makes Terraform report a crash; the hook asks this before printing it.
    #[tokio::test]
    async fn the_crash_banner_is_off_only_inside_recovered_rpcs() {
        assert!(!panics_are_recovered());
        assert!(recovering_panics(async { panics_are_recovered() }).await);
        assert!(!panics_are_recovered());
    }

    #[test]
    fn hclog_line_shape() {
        let mut f = serde_json::Map::new();
        f.insert("message".into(), "RPC started".into());
        f.insert("rpc".into(), "GetSchema".into());
        let t = chrono::Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let line = format_line(&Level::DEBUG, "tfplugin::protocol", f, t);
        let j: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(j["@level"], "debug");
        assert_eq!(j["@message"], "RPC started");
        assert_eq!(j["@module"], module());
        assert_eq!(j["rpc"], "GetSchema");
        assert_eq!(j["@timestamp"], "2026-01-02T03:04:05.000000Z");
    }

    #[test]
    fn levels() {
        assert_eq!(parse_level("trace"), Some(Some(Level::TRACE)));
        assert_eq!(parse_level("JSON"), Some(Some(Level::TRACE)));
        assert_eq!(parse_level("off"), Some(None));
        assert_eq!(parse_level("bogus"), None);
    }
}
