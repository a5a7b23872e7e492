//! OpenAPI conformance: every emulator response and every client request body validates
//! against the schemas.

use super::*;

/// (OpenAPI path template, method, concrete path, credential, body, expected status)
type Case<'a> = (
    &'a str,
    reqwest::Method,
    String,
    &'a str,
    Option<Value>,
    u16,
);

#[tokio::test]
async fn every_emulator_response_validates_against_the_openapi_schemas() {
    let spec = openapi::OpenApi::load();
    let emu = emulator().await;
    let admin = emu.admin_key().to_owned();
    let reader = emu.seed_token(SeedToken::default()).expect("seed").secret;
    emu.seed_tokens(
        3,
        SeedToken {
            member_email: Some("o@example.test".into()),
            ..Default::default()
        },
    )
    .expect("seed");
    let (_, created) = raw(&emu, reqwest::Method::POST, "/api/v2/tokens", &admin, Some(json!({"name": "a", "inlineRole": [{"effect": "allow", "actions": ["*"], "resources": ["proj/*"]}]}))).await;
    let id = created
        .as_ref()
        .and_then(|v| v["_id"].as_str())
        .expect("id")
        .to_owned();
    let tok = format!("/api/v2/tokens/{id}");
    let reset = format!("{tok}/reset");
    let missing = "/api/v2/tokens/0123456789abcdef01234567";
    use reqwest::Method as M;
    let cases: Vec<Case> = vec![
        (
            "/api/v2/tokens",
            M::GET,
            "/api/v2/tokens?showAll=true&limit=2".into(),
            &admin,
            None,
            200,
        ),
        (
            "/api/v2/tokens",
            M::GET,
            "/api/v2/tokens".into(),
            "nope",
            None,
            401,
        ),
        (
            "/api/v2/tokens",
            M::POST,
            "/api/v2/tokens".into(),
            &admin,
            Some(json!({"role": "writer", "serviceToken": true, "customRoleIds": []})),
            201,
        ),
        (
            "/api/v2/tokens",
            M::POST,
            "/api/v2/tokens".into(),
            &admin,
            Some(json!({"customRoleIds": ["ci-reader"]})),
            201,
        ),
        (
            "/api/v2/tokens",
            M::POST,
            "/api/v2/tokens".into(),
            &admin,
            Some(json!({"role": "owner"})),
            400,
        ),
        (
            "/api/v2/tokens",
            M::POST,
            "/api/v2/tokens".into(),
            &reader,
            Some(json!({"role": "reader"})),
            403,
        ),
        (
            "/api/v2/tokens/{id}",
            M::GET,
            tok.clone(),
            &admin,
            None,
            200,
        ),
        (
            "/api/v2/tokens/{id}",
            M::GET,
            missing.into(),
            &admin,
            None,
            404,
        ),
        (
            "/api/v2/tokens/{id}",
            M::PATCH,
            tok.clone(),
            &admin,
            Some(json!([{"op": "replace", "path": "/description", "value": "d"}])),
            200,
        ),
        (
            "/api/v2/tokens/{id}",
            M::PATCH,
            tok.clone(),
            &admin,
            Some(json!([{"op": "remove", "path": "/role"}])),
            422,
        ),
        (
            "/api/v2/tokens/{id}",
            M::PATCH,
            tok.clone(),
            &admin,
            Some(json!([{"op": "replace", "path": "/serviceToken", "value": true}])),
            400,
        ),
        (
            "/api/v2/tokens/{id}/reset",
            M::POST,
            reset.clone(),
            &admin,
            None,
            200,
        ),
        (
            "/api/v2/tokens/{id}/reset",
            M::POST,
            format!("{missing}/reset"),
            &admin,
            None,
            404,
        ),
        (
            "/api/v2/tokens/{id}",
            M::DELETE,
            tok.clone(),
            &reader,
            None,
            403,
        ),
        (
            "/api/v2/tokens/{id}",
            M::DELETE,
            tok.clone(),
            &admin,
            None,
            204,
        ),
        (
            "/api/v2/tokens/{id}",
            M::DELETE,
            tok.clone(),
            &admin,
            None,
            404,
        ),
    ];
    for (template, method, path, key, body, expected) in cases {
        let label = format!("{method} {path} → {expected}");
        let (status, value) = raw(&emu, method.clone(), &path, key, body).await;
        assert_eq!(status, expected, "{label}: {value:?}");
        assert!(
            spec.documented_statuses(template, method.as_str())
                .contains(&status),
            "{label}: status documented"
        );
        match (
            spec.response_schema(template, method.as_str(), status),
            value,
        ) {
            (Some(schema), Some(v)) => {
                if let Err(errors) = spec.validate(schema, &v) {
                    panic!("{label}: {errors:?}\n{v}");
                }
            }
            (None, None) => {}
            (s, v) => panic!("{label}: schema {s:?} vs body {v:?}"),
        }
    }
    // 409 and 429 through the fault knobs.
    let (_, created) = raw(
        &emu,
        M::POST,
        "/api/v2/tokens",
        &admin,
        Some(json!({"role": "reader"})),
    )
    .await;
    let tok = format!(
        "/api/v2/tokens/{}",
        created
            .as_ref()
            .and_then(|v| v["_id"].as_str())
            .expect("id")
    );
    emu.set_faults(Faults {
        conflict_next_patches: 1,
        ..Faults::default()
    });
    let (status, v) = raw(
        &emu,
        M::PATCH,
        &tok,
        &admin,
        Some(json!([{"op": "replace", "path": "/name", "value": "n"}])),
    )
    .await;
    assert_eq!(status, 409);
    spec.validate(
        spec.response_schema("/api/v2/tokens/{id}", "PATCH", 409)
            .expect("schema"),
        &v.expect("body"),
    )
    .expect("409 body");
    emu.set_faults(Faults {
        rate_limit: Some(0),
        rate_limit_window_ms: 600_000,
        ..Faults::default()
    });
    for (template, method, path) in [
        ("/api/v2/tokens", M::GET, "/api/v2/tokens".to_owned()),
        ("/api/v2/tokens/{id}", M::GET, tok.clone()),
    ] {
        let (status, v) = raw(&emu, method.clone(), &path, &admin, None).await;
        assert_eq!(status, 429);
        spec.validate(
            spec.response_schema(template, method.as_str(), 429)
                .expect("schema"),
            &v.expect("body"),
        )
        .expect("429 body");
    }
}

#[test]
fn every_client_request_body_validates_against_the_openapi_schemas() {
    let spec = openapi::OpenApi::load();
    let posts = [
        reader_post("r"),
        AccessTokenPost {
            name: Some("c".into()),
            custom_role_ids: Some(vec!["x".into()]),
            service_token: Some(true),
            default_api_version: Some(20240415),
            description: Some("d".into()),
            ..Default::default()
        },
        AccessTokenPost {
            inline_role: Some(vec![Statement {
                resources: None,
                not_resources: Some(vec!["proj/*".into()]),
                actions: None,
                not_actions: Some(vec!["*".into()]),
                effect: Effect::Allow,
            }]),
            ..Default::default()
        },
    ];
    for p in &posts {
        let req = request::create_token(p).expect("request");
        let schema = spec
            .request_schema("/api/v2/tokens", "POST")
            .expect("schema");
        spec.validate(schema, req.body.as_ref().expect("body"))
            .unwrap_or_else(|e| panic!("{p:?}: {e:?}"));
    }
    let ops = [
        PatchOperation::replace("/name", "n"),
        PatchOperation::remove("/role"),
        PatchOperation::replace("/customRoleIds", json!(["a", "b"])),
    ];
    let req = request::patch_token("id", &ops).expect("request");
    let schema = spec
        .request_schema("/api/v2/tokens/{id}", "PATCH")
        .expect("schema");
    spec.validate(schema, req.body.as_ref().expect("body"))
        .expect("patch body");
    // Reset sends no body; expiry is the documented query parameter.
    let r = request::reset_token("id", Some(5));
    assert!(r.body.is_none());
    assert_eq!(r.query, vec![("expiry", "5".to_owned())]);
    // The validator itself rejects wrong shapes (so the checks above can fail).
    assert!(spec.validate(schema, &json!([{"op": "replace"}])).is_err());
    assert!(
        spec.validate(&spec.component("Token"), &json!({"_id": "x"}))
            .is_err()
    );
    assert!(
        spec.validate(
            &spec.component("AccessTokenPost"),
            &json!({"role": "owner"})
        )
        .is_err()
    );
    assert!(
        spec.validate(
            &spec.component("AccessTokenPost"),
            &json!({"rol": "reader"})
        )
        .is_err()
    );
}
