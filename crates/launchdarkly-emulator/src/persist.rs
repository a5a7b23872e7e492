//! Saving state to the state file without blocking the async runtime or the store.
//!
//! Handlers serialize the store while they hold its lock and hand the bytes to
//! [`Persister::submit`], which only replaces the pending snapshot (a `watch` channel keeps
//! just the newest). A single writer task writes whatever is newest on a blocking thread,
//! so writes never overlap and an older snapshot never lands after a newer one; snapshots
//! superseded before the writer gets to them are skipped. Each write goes to a temporary
//! file in the state file's directory, is synced, then renamed over the state file, so a
//! reader (or a crash) sees either the previous state or the new one, never a part.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::watch;

/// The newest state handed to the writer: `version` counts submissions (0 = none yet).
#[derive(Debug, Clone, Default)]
struct Snapshot {
    version: u64,
    bytes: Option<Arc<[u8]>>,
}

/// The state file's writer. Dropping it lets the writer task finish the pending write and
/// stop.
#[derive(Debug)]
pub struct Persister {
    pending: watch::Sender<Snapshot>,
    written: watch::Receiver<u64>,
}

impl Persister {
    /// Starts the writer task for `path` on the current tokio runtime.
    pub fn start(path: PathBuf) -> Self {
        let (pending, rx) = watch::channel(Snapshot::default());
        let (done, written) = watch::channel(0);
        tokio::spawn(run(path, rx, done));
        Persister { pending, written }
    }

    /// Replaces the pending snapshot with `bytes` (cheap; never blocks on the disk). Calls
    /// made while holding the store lock are ordered like the changes they save.
    pub fn submit(&self, bytes: Vec<u8>) {
        self.pending.send_modify(|s| {
            s.version = s.version.saturating_add(1);
            s.bytes = Some(Arc::from(bytes));
        });
    }

    /// Waits until everything submitted so far has been written (or its write has failed
    /// and been logged). Returns at once if the writer task is gone.
    pub async fn flush(&self) {
        let target = self.pending.borrow().version;
        let mut written = self.written.clone();
        let _ = written.wait_for(|v| *v >= target).await;
    }
}

/// The writer task: writes the newest snapshot, one write at a time, until the `Persister`
/// is dropped (after a last write of anything still pending).
async fn run(path: PathBuf, mut pending: watch::Receiver<Snapshot>, done: watch::Sender<u64>) {
    loop {
        let open = pending.changed().await.is_ok();
        let snapshot = pending.borrow_and_update().clone();
        if snapshot.version > *done.borrow() {
            if let Some(bytes) = snapshot.bytes {
                let target = path.clone();
                let result = tokio::task::spawn_blocking(move || {
                    write_atomic(&target, |file| file.write_all(&bytes))
                })
                .await
                .unwrap_or_else(|e| Err(io::Error::other(e)));
                if let Err(e) = result {
                    tracing::warn!(path = %path.display(), error = %e, "could not save emulator state");
                }
            }
            done.send_replace(snapshot.version);
        }
        if !open {
            return;
        }
    }
}

/// Replaces `path` atomically: `write` fills a new temporary file in the same directory
/// (readable by the owner only: the state holds secrets), which is synced and renamed over
/// `path`. On any error `path` is left as it was and the temporary file is removed.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".emulator-state-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_write_failing_half_way_leaves_the_previous_file_intact() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("state.json");
        write_atomic(&path, |f| f.write_all(br#"{"v":1}"#)).expect("first write");
        let err = write_atomic(&path, |f| {
            f.write_all(br#"{"v":2, "tokens": ["#)?;
            Err(io::Error::other("disk full half-way"))
        })
        .expect_err("the write fails");
        assert_eq!(err.to_string(), "disk full half-way");
        assert_eq!(std::fs::read(&path).expect("read"), br#"{"v":1}"#);
        assert_eq!(entries(dir.path()), vec!["state.json"], "no temp file left");
    }

    #[test]
    fn the_temporary_file_is_made_in_the_target_directory_and_renamed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("state.json");
        let mut seen_during_write = Vec::new();
        write_atomic(&path, |f| {
            seen_during_write = entries(dir.path());
            f.write_all(b"{}")
        })
        .expect("write");
        assert_eq!(seen_during_write.len(), 1, "{seen_during_write:?}");
        assert!(
            seen_during_write[0].ends_with(".tmp"),
            "{seen_during_write:?}"
        );
        assert_eq!(entries(dir.path()), vec!["state.json"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "the state holds secrets: owner only");
        }
    }

    #[test]
    fn a_missing_directory_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("absent").join("state.json");
        assert!(write_atomic(&path, |f| f.write_all(b"{}")).is_err());
    }

    fn state(version: usize) -> Vec<u8> {
        // Large enough that a non-atomic write would be seen part-written.
        serde_json::to_vec(&serde_json::json!({
            "version": version,
            "padding": "x".repeat(64 * 1024 + version),
        }))
        .expect("json")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_file_is_never_seen_half_written_and_the_latest_state_wins() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("state.json");
        let persister = Persister::start(path.clone());
        persister.submit(state(0));
        persister.flush().await;

        let stop = Arc::new(AtomicBool::new(false));
        let reader = {
            let (stop, path) = (Arc::clone(&stop), path.clone());
            std::thread::spawn(move || {
                let mut reads = 0_u64;
                // Keeps reading while the writes go on; every read must be a whole state.
                while !stop.load(Ordering::SeqCst) || reads == 0 {
                    let bytes = std::fs::read(&path).expect("the state file always exists");
                    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                        panic!("half-written state ({} bytes): {e}", bytes.len())
                    });
                    assert!(v["version"].is_u64(), "{v}");
                    reads += 1;
                }
                reads
            })
        };
        for version in 1..=200 {
            persister.submit(state(version));
            if version % 20 == 0 {
                persister.flush().await;
            }
        }
        persister.flush().await;
        stop.store(true, Ordering::SeqCst);
        let reads = reader.join().expect("reader thread");
        assert!(reads > 0);

        let last: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
        assert_eq!(last["version"], 200, "the newest snapshot is on disk");
        assert_eq!(entries(dir.path()), vec!["state.json"], "no temp file left");
    }

    #[tokio::test]
    async fn dropping_the_persister_still_writes_the_pending_snapshot() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("state.json");
        let persister = Persister::start(path.clone());
        let mut written = persister.written.clone();
        persister.submit(state(1));
        persister.submit(state(2));
        drop(persister);
        // The writer task ends after its last write, closing the `written` channel.
        while written.changed().await.is_ok() {}
        let last: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
        assert_eq!(last["version"], 2);
    }

    #[tokio::test]
    async fn flush_returns_when_nothing_was_submitted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let persister = Persister::start(dir.path().join("state.json"));
        persister.flush().await;
        assert!(entries(dir.path()).is_empty());
    }
}
