//! The go-plugin handshake: the magic-cookie check that tells a human they
//! ran a plugin by hand, protocol-version negotiation from
//! `PLUGIN_PROTOCOL_VERSIONS`, and the single line Terraform reads from stdout.

use base64::Engine;

/// Terraform's magic cookie (the same for every provider).
pub const COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// The only plugin protocol this provider serves.
pub const PROTOCOL_VERSION: u32 = 5;

/// Why the plugin cannot start.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum HandshakeError {
    #[error(
        "This binary is a plugin. These are not meant to be executed directly.\n\
         Please execute the program that consumes these plugins, which will load\n\
         any plugins automatically (here: `terraform init` / `terraform plan`).\n\
         To debug the provider, run it with --debug."
    )]
    NotLaunchedByTerraform,
    #[error(
        "Terraform offered plugin protocol version(s) {offered:?}, but this provider only speaks protocol 5. \
         Use Terraform 0.12 or later (any 1.x works)."
    )]
    NoCommonVersion { offered: String },
}

/// Checks the magic cookie in the environment.
pub fn check_cookie(value: Option<&str>) -> Result<(), HandshakeError> {
    match value {
        Some(v) if v == COOKIE_VALUE => Ok(()),
        _ => Err(HandshakeError::NotLaunchedByTerraform),
    }
}

/// Picks protocol 5 from the client's comma-separated list. When the variable
/// is absent, go-plugin falls back to the server's version.
pub fn negotiate(offered: Option<&str>) -> Result<u32, HandshakeError> {
    let Some(list) = offered else {
        return Ok(PROTOCOL_VERSION);
    };
    let supported = list
        .split(',')
        .filter_map(|v| v.trim().parse::<u32>().ok())
        .any(|v| v == PROTOCOL_VERSION);
    if supported {
        Ok(PROTOCOL_VERSION)
    } else {
        Err(HandshakeError::NoCommonVersion {
            offered: list.to_string(),
        })
    }
}

/// `1|5|unix|/path|grpc|<server cert DER, base64 standard alphabet, no padding>`.
pub fn handshake_line(
    version: u32,
    network: &str,
    address: &str,
    server_cert_der: Option<&[u8]>,
) -> String {
    let cert = server_cert_der
        .map(|der| base64::engine::general_purpose::STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    format!("1|{version}|{network}|{address}|grpc|{cert}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie() {
        assert!(check_cookie(Some(COOKIE_VALUE)).is_ok());
        assert_eq!(
            check_cookie(None),
            Err(HandshakeError::NotLaunchedByTerraform)
        );
        assert_eq!(
            check_cookie(Some("nope")),
            Err(HandshakeError::NotLaunchedByTerraform)
        );
    }

    #[test]
    fn negotiation() {
        assert_eq!(negotiate(Some("6,5")), Ok(5));
        assert_eq!(negotiate(Some("5")), Ok(5));
        assert_eq!(negotiate(None), Ok(5));
        assert!(matches!(
            negotiate(Some("6")),
            Err(HandshakeError::NoCommonVersion { .. })
        ));
        assert!(
            negotiate(Some("6"))
                .unwrap_err()
                .to_string()
                .contains("protocol 5")
        );
    }

    #[test]
    fn line_uses_unpadded_base64() {
        let line = handshake_line(5, "unix", "/tmp/p/plugin.sock", Some(&[1, 2, 3, 4]));
        assert_eq!(line, "1|5|unix|/tmp/p/plugin.sock|grpc|AQIDBA");
        assert!(!line.ends_with('='));
    }
}
