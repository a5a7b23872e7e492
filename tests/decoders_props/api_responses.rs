//! The API response parser, through the client: a loopback server answers
//! `Client::list_tokens_page` / `get_token` with the generated body, so the client's real
//! (private) decoder runs, size cap and all; and the scrubbing of keys in error bodies.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use proptest::prelude::*;
use serde_json::Value as J;
use tfld::client::{Client, ClientConfig, Error, ListParams};

use super::json_value;

/// A loopback HTTP server answering every request with the current `(status, body)`.
struct Canned {
    /// Held for a whole call: the tests run in parallel and share the server.
    turn: Mutex<()>,
    rt: tokio::runtime::Runtime,
    answer: Arc<Mutex<(u16, Vec<u8>)>>,
    client: Client,
}

fn canned() -> &'static Canned {
    static SERVER: OnceLock<Canned> = OnceLock::new();
    SERVER.get_or_init(|| {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let answer = Arc::new(Mutex::new((200u16, b"{}".to_vec())));
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let shared = answer.clone();
        rt.spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    continue;
                };
                let shared = shared.clone();
                tokio::spawn(async move {
                    let mut req = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                        match sock.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => req.extend_from_slice(&buf[..n]),
                        }
                    }
                    let (status, body) = shared.lock().expect("answer").clone();
                    let head = format!(
                        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = sock.write_all(head.as_bytes()).await;
                    let _ = sock.write_all(&body).await;
                    let _ = sock.shutdown().await;
                });
            }
        });
        let mut cc = ClientConfig::new(
            format!("http://{addr}"),
            "api-0b6f8a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b".to_string(),
        );
        cc.retry.max_retries = Some(0);
        cc.http_timeout = Duration::from_secs(10);
        let client = Client::new(cc).expect("client");
        Canned {
            turn: Mutex::new(()),
            rt,
            answer,
            client,
        }
    })
}

fn list_with(status: u16, body: &[u8]) -> Result<tfld::models::Tokens, Error> {
    let c = canned();
    let _turn = c.turn.lock().unwrap_or_else(|e| e.into_inner());
    *c.answer.lock().expect("answer") = (status, body.to_vec());
    c.rt.block_on(c.client.list_tokens_page(ListParams::default()))
}

fn get_with(body: &[u8]) -> Result<tfld::models::Token, Error> {
    let c = canned();
    let _turn = c.turn.lock().unwrap_or_else(|e| e.into_inner());
    *c.answer.lock().expect("answer") = (200, body.to_vec());
    c.rt.block_on(c.client.get_token("61095542756dba551110ae21"))
}

fn valid_item() -> impl Strategy<Value = J> {
    (
        "[0-9a-f]{24}",
        any::<i64>(),
        prop::option::of(".{0,8}"),
        prop::option::of(prop::sample::select(vec!["reader", "writer", "admin"])),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(id, created, name, role, service)| {
            let mut t = serde_json::json!({
                "_id": id, "ownerId": "o", "memberId": "m",
                "creationDate": created, "lastModified": created, "_links": {},
                "token": "4a5b"
            });
            if let Some(n) = name {
                t["name"] = J::String(n);
            }
            if let Some(r) = role {
                t["role"] = J::String(r.into());
            }
            if let Some(s) = service {
                t["serviceToken"] = J::Bool(s);
            }
            t
        })
}

/// A value of the wrong JSON type for each required field.
fn wrong_for(field: &str) -> J {
    match field {
        "creationDate" | "lastModified" => J::String("yesterday".into()),
        _ => J::from(7),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Any 200 body: a page or a decode error — never a panic, a hang or another error.
    /// (The path is checked by the next property: a member named "" gives an empty one.)
    #[test]
    fn any_list_body_is_a_page_or_a_located_decode_error(body in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        json_value().prop_map(|j| serde_json::to_vec(&j).expect("bytes")),
        prop::collection::vec(valid_item(), 0..3).prop_flat_map(|items| {
            (Just(items), json_value()).prop_map(|(items, total)| {
                serde_json::to_vec(&serde_json::json!({"items": items, "totalCount": total})).expect("bytes")
            })
        }),
    ]) {
        match list_with(200, &body) {
            Ok(_) => {}
            Err(Error::Decode { .. }) => {}
            Err(e) => prop_assert!(false, "not a decode error: {e}"),
        }
        match get_with(&body) {
            Ok(_) => {}
            Err(Error::Decode { .. }) => {}
            Err(e) => prop_assert!(false, "not a decode error: {e}"),
        }
    }

    /// A valid page decodes; one field of one item with the wrong type is named exactly
    /// (`items[2].creationDate`), as is a wrong `totalCount` (reliability defect 4).
    #[test]
    fn a_bad_field_is_named_by_its_json_path(
        items in prop::collection::vec(valid_item(), 1..5),
        pick in any::<prop::sample::Index>(),
        field in prop::sample::select(vec!["_id", "ownerId", "memberId", "creationDate", "lastModified"]),
        bad_total in any::<bool>(),
    ) {
        let page = serde_json::json!({"items": items.clone(), "totalCount": items.len()});
        let good = list_with(200, &serde_json::to_vec(&page).expect("bytes")).expect("a valid page decodes");
        prop_assert_eq!(good.items.len(), items.len());
        let mut bad = page.clone();
        let want = if bad_total {
            bad["totalCount"] = J::String(items.len().to_string());
            String::from("totalCount")
        } else {
            let i = pick.index(items.len());
            bad["items"][i][field] = wrong_for(field);
            format!("items[{i}].{field}")
        };
        match list_with(200, &serde_json::to_vec(&bad).expect("bytes")) {
            Err(e @ Error::Decode { .. }) => {
                let Error::Decode { path, .. } = &e else { unreachable!() };
                prop_assert_eq!(path, &want);
                prop_assert!(e.to_string().contains(&want), "{}", e);
            }
            other => prop_assert!(false, "expected a decode error at {want}, got {other:?}"),
        }
    }

    /// Any error body with any 4xx/5xx status: an error, no panic, the status kept. (Not
    /// 409 or a retried 5xx: their retries wait real time.)
    #[test]
    fn any_error_body_is_an_error_with_its_status(
        status in prop::sample::select(vec![400u16, 401, 403, 404, 413, 418, 422, 501]),
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..200),
            json_value().prop_map(|j| serde_json::to_vec(&j).expect("bytes")),
            (".{0,20}", ".{0,40}").prop_map(|(c, m)| serde_json::to_vec(&serde_json::json!({"code": c, "message": m})).expect("bytes")),
        ],
    ) {
        let e = list_with(status, &body).expect_err("an error status");
        let text = e.to_string();
        prop_assert!(text.contains(&status.to_string()), "{}", text);
    }
}

/// Keys in error text the client shows are scrubbed, wherever they stand.
///
/// Regression (found by the `api_error_scrub` fuzz target, issue 14): `secret::scrub` matched
/// keys only between word boundaries (`\b`), and a plain-text error body was cut to 300
/// characters *before* it was scrubbed. So `ApiErrorDetail` showed all but the last four
/// characters of a key that straddled the cut, and the whole key when a word character
/// touched it (`x_api-…`, `%3Aapi-…`, `api-…_expired`). Now keys match whatever touches
/// them, and text is scrubbed first and cut after.
#[test]
fn keys_in_error_bodies_are_always_scrubbed() {
    let key = "api-0b6f8a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b";
    let visible = &key[..key.len() - 4];
    let mut cases: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
    // 264 characters, then the key: the 300-character cut keeps all but its last four.
    let long = format!("{} {key} trailing", "x".repeat(263));
    cases.insert("plain body, key across the cut", long.into_bytes());
    cases.insert(
        "plain body, url-encoded header echo",
        format!("Authorization%3A{key}").into_bytes(),
    );
    cases.insert(
        "JSON message, key followed by an underscore",
        serde_json::to_vec(
            &serde_json::json!({"code": "x", "message": format!("token {key}_expired")}),
        )
        .expect("bytes"),
    );
    let mut leaks = Vec::new();
    for (what, body) in cases {
        let shown = list_with(400, &body).expect_err("400").to_string();
        if shown.contains(visible) {
            leaks.push(format!("{what}: {shown}"));
        }
    }
    assert!(leaks.is_empty(), "keys shown:\n{}", leaks.join("\n"));
}
