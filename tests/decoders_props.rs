//! Property tests, in CI, for the decoders the fuzz targets in `fuzz/` hammer (issue 14):
//!
//! - the raw-state JSON path of `UpgradeResourceState` (`Engine::upgrade_resource_state`
//!   with the real provider: `tfld::framework::json` and the access token's `upgrade`);
//! - the API response parser, through the client's public entry point: a loopback server
//!   answers `Client::list_tokens_page` / `get_token` with the generated body, so the
//!   client's real (private) decoder runs, size cap and all;
//! - the rate-limit header parser (`RateLimitInfo`).
//!
//! The fuzz targets run for minutes on demand (docs/testing.md); these run a few hundred
//! cases each, in seconds.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use proptest::prelude::*;
use serde_json::Value as J;
use tfld::client::retry::{MAX_SERVER_WAIT, RateLimitInfo};
use tfld::client::{Client, ClientConfig, Error, ListParams};
use tfld::framework::engine::{Engine, RawState};
use tfld::framework::json::{self, ObjectMode};
use tfld::framework::{AttributePath, Type, Value, msgpack};

// ---------------------------------------------------------------------------------------
// Raw state
// ---------------------------------------------------------------------------------------

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(Arc::new(tfld::provider::LaunchDarklyProvider::new())))
}

fn token_type() -> Type {
    tfld::provider::access_token::schema::schema().implied_type()
}

fn upgrade(version: i64, json: &[u8]) -> (Option<Value>, tfld::framework::Diagnostics) {
    let raw = RawState {
        json: json.to_vec(),
        flatmap: false,
    };
    futures::executor::block_on(engine().upgrade_resource_state(
        "launchdarkly_access_token",
        version,
        &raw,
    ))
}

/// Numbers as JSON text, so huge and precise ones survive (`arbitrary_precision`).
fn json_number() -> impl Strategy<Value = J> {
    prop_oneof![
        any::<i64>().prop_map(J::from),
        "-?[0-9]{1,30}(\\.[0-9]{1,8})?([eE][-+]?[0-9]{1,3})?"
            .prop_filter_map("a JSON number", |s| serde_json::from_str::<J>(&s).ok()),
    ]
}

fn json_leaf() -> impl Strategy<Value = J> {
    prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        json_number(),
        ".{0,12}".prop_map(J::String),
        prop::sample::select(vec!["reader", "allow", "deny", "", "20240415", "true", "1"])
            .prop_map(|s| J::String(s.into())),
    ]
}

fn json_value() -> impl Strategy<Value = J> {
    json_leaf().prop_recursive(3, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(J::Array),
            prop::collection::btree_map("[a-z_]{0,8}", inner, 0..4)
                .prop_map(|m| J::Object(m.into_iter().collect())),
        ]
    })
}

/// Objects with the access token's attribute names (and the statements' names, and a
/// stranger) holding anything, so decoding gets past the top level.
fn state_like() -> impl Strategy<Value = J> {
    let Type::Object(attrs) = token_type() else {
        panic!("the resource type is an object")
    };
    let mut names: Vec<String> = attrs.keys().cloned().collect();
    names.extend(
        ["effect", "resources", "not_actions", "unknown_attribute"]
            .iter()
            .map(|s| s.to_string()),
    );
    let statement = prop::collection::btree_map(
        prop::sample::select(vec![
            "effect",
            "resources",
            "not_resources",
            "actions",
            "not_actions",
        ]),
        json_value(),
        0..6,
    )
    .prop_map(|m| J::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()));
    let attribute = prop_oneof![
        4 => json_value(),
        1 => prop::collection::vec(statement, 0..3).prop_map(J::Array),
        1 => prop::collection::vec(".{0,6}".prop_map(J::String), 0..4).prop_map(J::Array),
    ];
    prop::collection::btree_map(prop::sample::select(names), attribute, 0..14)
        .prop_map(|m| J::Object(m.into_iter().collect()))
}

/// JSON conforming to `ty` (whole numbers only: the model decodes them as integers).
/// Attributes may be null; collection elements are not (Terraform never stores a null
/// element in these attributes).
fn conforming(ty: &Type, may_be_null: bool) -> BoxedStrategy<J> {
    let nullable = |s: BoxedStrategy<J>| {
        if may_be_null {
            prop_oneof![1 => Just(J::Null), 4 => s].boxed()
        } else {
            s
        }
    };
    match ty {
        Type::String => nullable(".{0,10}".prop_map(J::String).boxed()),
        Type::Number => nullable(any::<i64>().prop_map(J::from).boxed()),
        Type::Bool => nullable(any::<bool>().prop_map(J::Bool).boxed()),
        Type::List(t) | Type::Set(t) => nullable(
            prop::collection::vec(conforming(t, false), 0..3)
                .prop_map(J::Array)
                .boxed(),
        ),
        Type::Map(t) => nullable(
            prop::collection::btree_map("[a-z]{1,6}", conforming(t, false), 0..3)
                .prop_map(|m| J::Object(m.into_iter().collect()))
                .boxed(),
        ),
        Type::Object(attrs) => {
            let fields: Vec<BoxedStrategy<(String, J)>> = attrs
                .iter()
                .map(|(k, t)| {
                    let k = k.clone();
                    conforming(t, true)
                        .prop_map(move |v| (k.clone(), v))
                        .boxed()
                })
                .collect();
            nullable(
                fields
                    .prop_map(|kv| J::Object(kv.into_iter().collect()))
                    .boxed(),
            )
        }
        Type::Tuple(_) | Type::Dynamic => Just(J::Null).boxed(),
    }
}

/// What an upgraded state must satisfy to be sent to Terraform.
fn assert_sendable(value: &Value, ty: &Type) -> Result<(), TestCaseError> {
    let packed = msgpack::encode(value, ty)
        .map_err(|e| TestCaseError::fail(format!("does not encode as its type: {e:?}")))?;
    let unpacked = msgpack::decode(&packed, ty)
        .map_err(|e| TestCaseError::fail(format!("does not decode back: {e:?}")))?;
    prop_assert_eq!(&unpacked, value);
    let j = json::to_json(value, &AttributePath::root())
        .map_err(|e| TestCaseError::fail(format!("no JSON form: {e:?}")))?;
    let back = json::from_json(&j, ty, ObjectMode::Strict, &AttributePath::root())
        .map_err(|e| TestCaseError::fail(format!("its JSON does not decode strictly: {e:?}")))?;
    prop_assert_eq!(&back, value);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any bytes, any version: no panic; errors mean no state; a state is sendable.
    #[test]
    fn raw_state_bytes_never_panic(version in -1i64..=2, bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let ty = token_type();
        let _ = json::decode(&bytes, &ty, ObjectMode::Strict);
        let _ = json::decode(&bytes, &ty, ObjectMode::Lenient);
        let (value, d) = upgrade(version, &bytes);
        if d.has_errors() {
            prop_assert!(value.is_none());
        }
        if let Some(v) = value {
            assert_sendable(&v, &ty)?;
        }
    }

    /// State-shaped JSON with wrong types, extra and missing attributes, odd numbers.
    #[test]
    fn state_shaped_json_upgrades_or_fails_cleanly(version in -1i64..=2, state in state_like()) {
        let ty = token_type();
        let bytes = serde_json::to_vec(&state).expect("serialize");
        let (value, d) = upgrade(version, &bytes);
        if d.has_errors() {
            prop_assert!(value.is_none());
            prop_assert!(d.iter().all(|x| !x.summary.is_empty()));
        }
        if let Some(v) = value {
            assert_sendable(&v, &ty)?;
        }
    }

    /// Every well-typed state of either schema version upgrades without an error, and
    /// upgrading the result again changes nothing.
    #[test]
    fn well_typed_states_upgrade_and_the_upgrade_is_idempotent(
        version in 0i64..=1,
        state in conforming(&token_type(), false),
    ) {
        let ty = token_type();
        let bytes = serde_json::to_vec(&state).expect("serialize");
        let (value, d) = upgrade(version, &bytes);
        prop_assert!(!d.has_errors(), "{:?}", d);
        let v = value.expect("a state");
        assert_sendable(&v, &ty)?;
        let again = serde_json::to_vec(&json::to_json(&v, &AttributePath::root()).expect("json")).expect("bytes");
        let (v2, d2) = upgrade(1, &again);
        prop_assert!(!d2.has_errors(), "{:?}", d2);
        prop_assert_eq!(v2.expect("a state"), v);
    }
}

// ---------------------------------------------------------------------------------------
// API responses, through the client
// ---------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------
// Rate-limit headers
// ---------------------------------------------------------------------------------------

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|i| i.to_string()),
        any::<u64>().prop_map(|i| i.to_string()),
        "[0-9]{19,40}",
        ".{0,20}",
        Just("Wed, 21 Oct 2015 07:28:00 GMT".to_string()),
        Just("Fri, 31 Dec 9999 23:59:59 GMT".to_string()),
    ]
}

proptest! {
    /// Whatever the headers say, the wait is capped; a plain `Retry-After: n` is n seconds.
    #[test]
    fn rate_limit_waits_are_capped(
        headers in prop::collection::vec((prop::sample::select(vec![
            "Retry-After", "X-Ratelimit-Reset", "X-Ratelimit-Auth-Token-Reset",
            "X-Ratelimit-Global-Remaining", "x-ratelimit-route-remaining", "Other",
        ]), header_value()), 0..6),
        now_ms in prop_oneof![Just(i64::MIN), Just(i64::MAX), Just(0i64), any::<i64>(), 1_600_000_000_000i64..1_900_000_000_000],
        secs in 0u64..200_000,
    ) {
        let pairs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let info = RateLimitInfo::from_headers(pairs.iter().copied(), now_ms);
        if let Some(w) = info.header_wait(now_ms) {
            prop_assert!(w <= MAX_SERVER_WAIT, "{:?} from {:?}", w, headers);
        }
        let s = secs.to_string();
        let info = RateLimitInfo::from_headers([("Retry-After", s.as_str())], now_ms);
        prop_assert_eq!(info.header_wait(now_ms), Some(Duration::from_secs(secs).min(MAX_SERVER_WAIT)));
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
