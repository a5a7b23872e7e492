//! Every token operation through the real client, resets with and without an expiry on the
//! emulated clock, and pagination.

use super::*;
use tfld::models::Token;

#[tokio::test]
async fn create_get_patch_list_delete_round_trip() {
    let emu = emulator().await;
    let c = client(&emu);

    let created = c
        .create_token(&AccessTokenPost {
            description: Some("for CI".into()),
            service_token: Some(true),
            default_api_version: Some(20240415),
            ..reader_post("ci")
        })
        .await
        .expect("create");
    let secret = created.token.clone().expect("secret on create");
    assert!(secret.expose().starts_with("api-") && secret.expose().len() == 40);
    assert_eq!(created.role.as_deref(), Some("reader"));
    assert_eq!(created.service_token, Some(true));
    assert_eq!(created.custom_role_ids.as_deref(), Some(&[][..]));
    let stored = emu.token(&created.id).expect("stored");
    assert_eq!(stored.secret, secret.expose());

    let got = c.get_token(&created.id).await.expect("get");
    assert_eq!(got.token.as_ref().map(|t| t.expose()), Some(secret.last4()));
    assert_eq!(got.description.as_deref(), Some("for CI"));

    let patched = c
        .patch_token(
            &created.id,
            &[
                PatchOperation::replace("/name", "ci writer"),
                PatchOperation::replace("/role", "writer"),
            ],
        )
        .await
        .expect("patch");
    assert_eq!(patched.name.as_deref(), Some("ci writer"));
    assert_eq!(patched.role.as_deref(), Some("writer"));
    assert_eq!(
        patched.token.as_ref().map(|t| t.expose()),
        Some(secret.last4())
    );

    let all = c.list_all_tokens(false).await.expect("list");
    assert!(all.iter().any(|t| t.id == created.id));
    assert!(
        all.iter()
            .all(|t| t.token.as_ref().is_some_and(|s| s.expose().len() == 4))
    );

    c.delete_token(&created.id).await.expect("delete");
    let err = c.get_token(&created.id).await.expect_err("gone");
    assert!(err.is_not_found(), "{err}");
    // The deleted token's own secret no longer authenticates.
    let gone = Client::new(config(&emu, secret.expose())).expect("client");
    assert!(matches!(
        gone.list_tokens_page(ListParams::default()).await,
        Err(Error::Unauthorized(_))
    ));
}

#[tokio::test]
async fn switching_to_an_inline_policy_and_custom_roles_by_key() {
    let emu = emulator().await;
    let c = client(&emu);
    let t = c
        .create_token(&reader_post("switch"))
        .await
        .expect("create");
    let stmt = Statement {
        resources: Some(vec!["proj/*:env/production".into()]),
        not_resources: None,
        actions: Some(vec!["*".into()]),
        not_actions: None,
        effect: Effect::Deny,
    };
    let patched = c
        .patch_token(
            &t.id,
            &[
                PatchOperation::remove("/role"),
                PatchOperation::replace(
                    "/inlineRole",
                    serde_json::to_value(vec![&stmt]).expect("json"),
                ),
            ],
        )
        .await
        .expect("switch to inline");
    assert_eq!(patched.role, None);
    assert_eq!(patched.inline_role, Some(vec![stmt]));

    // Custom roles: keys are accepted on write, IDs come back.
    let role = c.get_custom_role("deployer").await.expect("role by key");
    assert_eq!(
        c.get_custom_role(&role.id).await.expect("role by id").key,
        "deployer"
    );
    let created = c
        .create_token(&AccessTokenPost {
            name: Some("custom".into()),
            custom_role_ids: Some(vec!["deployer".into()]),
            ..Default::default()
        })
        .await
        .expect("create with custom role key");
    assert_eq!(created.custom_role_ids, Some(vec![role.id.clone()]));
    assert_eq!(created.role, None);
    assert!(
        c.get_custom_role("no-such-role")
            .await
            .expect_err("404")
            .is_not_found()
    );
}

/// An emulator, an admin client of it, and an admin token created through that client.
async fn emulator_with_an_admin_token() -> (EmulatorHandle, Client, Token) {
    let emu = emulator().await;
    let c = client(&emu);
    let t = c
        .create_token(&AccessTokenPost {
            role: Some(BaseRole::Admin),
            ..reader_post("r")
        })
        .await
        .expect("create");
    (emu, c, t)
}

#[tokio::test]
async fn reset_without_expiry_kills_the_old_key_at_once() {
    let (emu, c, t) = emulator_with_an_admin_token().await;
    let old = t.token.expect("secret");
    let reset = c.reset_token(&t.id, None).await.expect("reset");
    let new = reset.token.expect("new secret");
    assert_ne!(new.expose(), old.expose());
    assert_eq!(reset.id, t.id);
    let with_old = Client::new(config(&emu, old.expose())).expect("client");
    assert!(matches!(
        with_old.get_token(&t.id).await,
        Err(Error::Unauthorized(_))
    ));
    let with_new = Client::new(config(&emu, new.expose())).expect("client");
    with_new.get_token(&t.id).await.expect("new key works");
    assert_eq!(emu.requests().last().map(|r| r.query.clone()), Some(None));
}

#[tokio::test]
async fn reset_with_expiry_keeps_the_old_key_until_then_on_the_emulated_clock() {
    let (emu, c, t) = emulator_with_an_admin_token().await;
    let old = t.token.expect("secret");
    let expiry = emu.now_ms() + 3_600_000;
    let reset = c.reset_token(&t.id, Some(expiry)).await.expect("reset");
    let reset_req = emu
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path.ends_with("/reset"))
        .expect("logged");
    assert_eq!(reset_req.query, Some(format!("expiry={expiry}")));

    let with_old = Client::new(config(&emu, old.expose())).expect("client");
    let with_new = Client::new(config(&emu, reset.token.expect("new").expose())).expect("client");
    with_old
        .get_token(&t.id)
        .await
        .expect("old key still valid");
    emu.advance_clock(Duration::from_secs(3_599));
    with_old
        .get_token(&t.id)
        .await
        .expect("old key valid a second before expiry");
    emu.advance_clock(Duration::from_secs(1));
    assert!(matches!(
        with_old.get_token(&t.id).await,
        Err(Error::Unauthorized(_))
    ));
    with_new
        .get_token(&t.id)
        .await
        .expect("new key still valid");
}

#[tokio::test]
async fn list_all_pages_through_more_than_100_tokens() {
    let emu = emulator().await;
    emu.seed_tokens(
        130,
        SeedToken {
            service_token: true,
            ..Default::default()
        },
    )
    .expect("seed");
    emu.seed_tokens(
        7,
        SeedToken {
            member_email: Some("other@example.test".into()),
            ..Default::default()
        },
    )
    .expect("seed");
    let c = client(&emu);
    emu.clear_requests();

    let all = c.list_all_tokens(false).await.expect("list");
    // 130 service tokens + the admin personal and service admin tokens; not the other
    // member's 7 personal tokens.
    assert_eq!(all.len(), 132);
    let mut ids: Vec<_> = all.iter().map(|t| t.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 132, "no duplicates across pages");
    let queries: Vec<_> = emu.requests().into_iter().filter_map(|r| r.query).collect();
    assert_eq!(queries.len(), 6, "{queries:?}");
    assert_eq!(queries[0], "limit=25&offset=0");
    assert_eq!(queries[5], "limit=25&offset=125");

    assert_eq!(c.list_all_tokens(true).await.expect("showAll").len(), 139);

    let page = c
        .list_tokens_page(ListParams {
            show_all: true,
            limit: 25,
            offset: 125,
        })
        .await
        .expect("page");
    assert_eq!(page.total_count, Some(139));
    assert_eq!(page.items.len(), 14);
    assert!(page.next_href().is_none());
    let first = c
        .list_tokens_page(ListParams {
            show_all: false,
            limit: 25,
            offset: 0,
        })
        .await
        .expect("page");
    assert_eq!(first.next_href(), Some("/api/v2/tokens?limit=25&offset=25"));
}
