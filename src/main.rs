//! The plugin binary Terraform launches.

use clap::Parser;
use std::sync::Arc;
use tfld::provider::{LaunchDarklyProvider, SOURCE_ADDRESS};
use tfld::transport::{ServeError, ServeOptions, serve};

/// Terraform provider for LaunchDarkly API access tokens (plugin protocol 5).
///
/// Terraform starts this binary itself; run it by hand only with --debug.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    /// Serve without the handshake cookie or TLS and print a
    /// TF_REATTACH_PROVIDERS value to paste into another terminal.
    #[arg(long)]
    debug: bool,
    /// With --debug: the source address to serve as (the key of TF_REATTACH_PROVIDERS), for
    /// a provider installed under a second address beside the official one.
    #[arg(long, default_value = SOURCE_ADDRESS, requires = "debug")]
    address: String,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Generate docs/ from the schemas (run from the repository root).
    Docs {
        /// Do not write; exit 1 if any generated file is stale.
        #[arg(long)]
        check: bool,
    },
}

fn docs(check: bool) -> i32 {
    let root = std::path::Path::new(".");
    match tfld::docs::run(&LaunchDarklyProvider::new(), root, check) {
        Ok(stale) if stale.is_empty() => 0,
        Ok(stale) if check => {
            for f in &stale {
                eprintln!(
                    "stale: {} (run `cargo run -- docs` and commit)",
                    f.display()
                );
            }
            1
        }
        Ok(stale) => {
            for f in &stale {
                eprintln!("wrote {}", f.display());
            }
            0
        }
        Err(e) => {
            eprintln!("Error: {e}");
            1
        }
    }
}

fn main() {
    let cli = Cli::parse();
    if let Some(Command::Docs { check }) = cli.command {
        std::process::exit(docs(check));
    }
    tfld::logging::init(tfld::provider::TYPE_NAME);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("Error: could not start the async runtime: {e}");
            std::process::exit(1);
        }
    };
    let opts = ServeOptions {
        debug: cli.debug,
        provider_address: cli.address.clone(),
    };
    let result = runtime.block_on(serve(Arc::new(LaunchDarklyProvider::new()), opts));
    // Exit without waiting for lingering tasks: Terraform kills us 2 s after Shutdown.
    match result {
        Ok(()) => std::process::exit(0),
        Err(ServeError::Handshake(e)) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
        Err(e) => {
            eprintln!("Error: {e}");
            std::process::exit(1);
        }
    }
}
