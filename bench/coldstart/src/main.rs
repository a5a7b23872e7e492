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

mod grpc;
mod identity;
mod probe;

use identity::client_identity;
use probe::{Mode, Sample, Target, run_once};

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
