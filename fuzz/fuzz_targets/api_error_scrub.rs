//! A directed target for the secret scrubbing of server text in API errors: builds an error
//! response whose body embeds a real-shaped key (`api-<uuid>`) between arbitrary text, as a
//! JSON `message` or as a plain body, and checks that `ApiErrorDetail`'s text never shows
//! the key — neither whole nor all but its last four characters (what `scrub` keeps).
//!
//! Findings (see docs/testing.md): keys touching a word character and keys straddling the
//! 300-character cut of a plain body were shown; both fixed (`secret::scrub_and_cut`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tfld::client::{ApiErrorDetail, Operation};

fn key(seed: &[u8]) -> String {
    const HEX: &[u8] = b"0123456789abcdef";
    let mut hex = String::new();
    for i in 0..32 {
        let b = seed.get(i / 2).copied().unwrap_or(0x5a);
        let nibble = if i % 2 == 0 { b >> 4 } else { b & 0x0f };
        hex.push(HEX[usize::from(nibble)] as char);
    }
    format!(
        "api-{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 18 {
        return;
    }
    let (seed, rest) = data.split_at(16);
    let (mode, rest) = rest.split_first().expect("len checked");
    let cut = usize::from(*mode >> 1).min(rest.len());
    let (before, after) = rest.split_at(cut);
    let before = String::from_utf8_lossy(before);
    let after = String::from_utf8_lossy(after);
    let key = key(seed);
    let text = format!("{before}{key}{after}");
    let body = if mode & 1 == 0 {
        serde_json::json!({"code": "bad", "message": text, "id": "r"}).to_string()
    } else {
        text.clone()
    };
    let shown = ApiErrorDetail::from_response(
        Operation::GetToken,
        400,
        body.as_bytes(),
        None,
        String::new(),
        1,
    )
    .to_string();
    let visible_part = &key[..key.len() - 4];
    assert!(
        !shown.contains(visible_part),
        "the key {key} is shown (the message was {text:?}):\n{shown}"
    );
});
