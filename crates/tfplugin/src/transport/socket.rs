//! The unix socket Terraform connects to: created in a private (0700)
//! temporary directory under `PLUGIN_UNIX_SOCKET_DIR` or the system temp dir,
//! and removed when the plugin exits.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use tokio::net::UnixListener;

/// The socket's path and the private directory that holds it; dropping
/// this removes both.
pub struct PluginSocket {
    pub path: PathBuf,
    dir: Option<tempfile::TempDir>,
}

impl PluginSocket {
    /// Binds `plugin.sock` in a new private directory inside `parent`
    /// (`None`: the system temp dir).
    pub fn bind(parent: Option<&Path>) -> std::io::Result<(PluginSocket, UnixListener)> {
        let mut b = tempfile::Builder::new();
        b.prefix("tfplugin-");
        let dir = match parent {
            Some(p) => b.tempdir_in(p)?,
            None => b.tempdir()?,
        };
        // Only this user may reach the socket (TLS still authenticates the peer).
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))?;
        let path = dir.path().join("plugin.sock");
        let listener = UnixListener::bind(&path)?;
        Ok((
            PluginSocket {
                path,
                dir: Some(dir),
            },
            listener,
        ))
    }

    /// Removes the socket and its directory (idempotent).
    pub fn cleanup(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        if let Some(dir) = self.dir.take() {
            let _ = dir.close();
        }
    }
}

impl Drop for PluginSocket {
    fn drop(&mut self) {
        self.cleanup();
    }
}
