//! Redirects under a hostile portal: the body and the credentials (a webhook's code in the path,
//! OAuth's `auth` token in the body) never reach another origin; same-origin redirects and the
//! documented address change confirmed by the authorisation server keep working.

mod support;

use std::sync::Arc;

use bitrix24_runtime::{ApiVersion, Client, Error, OAuth, Tokens, Webhook};
use serde_json::json;
use support::{scripted, Reply, Scripted};

const CODE: &str = "h00kc0de";

/// A portal that answers every call with a 307 to the same path on `target`.
async fn redirecting_to(target: &str) -> (String, Arc<Scripted>) {
    let target = target.to_owned();
    scripted(move |_, r| Reply::raw(307, "").header("location", format!("{target}{}", r.path)))
        .await
}

fn assert_names_only_the_origin(err: &Error, origin: &str, secrets: &[&str]) {
    match err {
        Error::CrossOriginRedirect { target, .. } => assert_eq!(target, origin),
        other => panic!("expected a cross-origin redirect error, got {other:?}"),
    }
    let shown = format!("{err} {err:?}");
    assert!(shown.contains(origin), "{shown}");
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_webhook_code_never_follows_a_redirect_to_another_port() {
    let (evil, evil_server) = scripted(|_, _| Reply::ok(json!("stolen"))).await;
    let (portal, portal_server) = redirecting_to(&evil).await;
    let client = Client::webhook(&format!("{portal}/rest/1/{CODE}/")).unwrap();
    for _ in 0..2 {
        let err = client
            .call_raw(
                ApiVersion::V2,
                "crm.deal.add",
                json!({"fields": {"TITLE": "x"}}),
            )
            .await
            .unwrap_err();
        assert_names_only_the_origin(&err, &evil, &[CODE]);
    }
    assert_eq!(
        evil_server.count(),
        0,
        "nothing was sent to the other origin"
    );
    assert_eq!(
        portal_server.count(),
        2,
        "later calls stay on the configured address"
    );
}

#[tokio::test(start_paused = true)]
async fn same_origin_redirects_repeat_the_post_with_its_body() {
    let (portal, server) = scripted(|_, r| {
        if r.path.starts_with("/old/") {
            let moved = r.path.replacen("/old/", "/new/", 1);
            return Reply::raw(308, "").header("location", moved);
        }
        Reply::ok(json!({"echo": r.body.clone()}))
    })
    .await;
    let client = Client::webhook(&format!("{portal}/old/rest/1/{CODE}/")).unwrap();
    let reply = client
        .call_raw(
            ApiVersion::V2,
            "crm.deal.add",
            json!({"fields": {"TITLE": "x"}}),
        )
        .await
        .unwrap();
    assert_eq!(reply.result, json!({"echo": {"fields": {"TITLE": "x"}}}));
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            format!("/old/rest/1/{CODE}/crm.deal.add"),
            format!("/new/rest/1/{CODE}/crm.deal.add")
        ]
    );
}

/// An OAuth client of `portal` refreshing at `auth`.
fn oauth_client(portal: &str, auth: &str) -> Client {
    let oauth = OAuth::new(
        &format!("{portal}/rest/"),
        "app.1",
        "app-secret",
        Tokens::new("access-0", "refresh-0"),
    )
    .unwrap()
    .with_refresh_url(&format!("{auth}/oauth/token/"))
    .unwrap();
    Client::builder(oauth).build().unwrap()
}

/// An authorisation server that says the portal lives at `endpoint`.
async fn authorisation_server(endpoint: String) -> (String, Arc<Scripted>) {
    scripted(move |i, _| {
        Reply::json(
            200,
            json!({"access_token": format!("access-{}", i + 1), "refresh_token": format!("refresh-{}", i + 1), "client_endpoint": endpoint}),
        )
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn an_oauth_token_never_goes_to_an_unconfirmed_host() {
    let (evil, evil_server) = scripted(|_, _| Reply::ok(json!("stolen"))).await;
    let (portal, portal_server) = redirecting_to(&evil).await;
    // The authorisation server still places the portal at its old address.
    let (auth, auth_server) = authorisation_server(format!("{portal}/rest/")).await;
    let client = oauth_client(&portal, &auth);
    for _ in 0..3 {
        let err = client
            .call_raw(ApiVersion::V2, "crm.deal.get", json!({"id": 1}))
            .await
            .unwrap_err();
        assert_names_only_the_origin(&err, &evil, &["access-0", "access-1", "app-secret"]);
    }
    assert_eq!(
        evil_server.count(),
        0,
        "the token did not reach the other host"
    );
    assert_eq!(portal_server.count(), 3);
    assert_eq!(
        auth_server.count(),
        1,
        "one refresh asked where the portal is; the answer is remembered"
    );
}

#[tokio::test(start_paused = true)]
async fn an_address_change_confirmed_by_the_authorisation_server_is_followed() {
    let (moved, moved_server) = scripted(|_, r| Reply::ok(json!({"echo": r.body.clone()}))).await;
    let (portal, portal_server) = redirecting_to(&moved).await;
    let (auth, _auth_server) = authorisation_server(format!("{moved}/rest/")).await;
    let client = oauth_client(&portal, &auth);
    for id in [1, 2] {
        let reply = client
            .call_raw(ApiVersion::V2, "crm.deal.get", json!({"id": id}))
            .await
            .unwrap();
        assert_eq!(
            reply.result,
            json!({"echo": {"id": id, "auth": "access-1"}}),
            "the body and the renewed token reach the confirmed address"
        );
    }
    assert_eq!(
        portal_server.count(),
        1,
        "later calls go to the new address"
    );
    assert_eq!(moved_server.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_trusted_new_address_moves_a_webhook_client() {
    let (moved, moved_server) = scripted(|_, _| Reply::ok(json!(true))).await;
    let (portal, portal_server) = redirecting_to(&moved).await;
    let client = Client::builder(Webhook::from_url(&format!("{portal}/rest/1/{CODE}/")).unwrap())
        .trust_redirect_host(moved.trim_start_matches("http://"))
        .build()
        .unwrap();
    for _ in 0..2 {
        client
            .call_raw(ApiVersion::V2, "crm.deal.get", json!({}))
            .await
            .unwrap();
    }
    assert_eq!((portal_server.count(), moved_server.count()), (1, 2));
    assert_eq!(
        moved_server.requests()[0].path,
        format!("/rest/1/{CODE}/crm.deal.get")
    );
}
