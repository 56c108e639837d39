//! The client-side bucket against a portal enforcing the documented 50 / 2 per second: many
//! concurrent calls from several clones are paced so none is refused.

mod support;

use bitrix24_runtime::{ApiVersion, Client, RateLimit, Webhook};
use serde_json::json;
use support::portal::Portal;

#[tokio::test(start_paused = true)]
async fn concurrent_calls_from_clones_are_never_refused() {
    let portal = Portal::new(10, Some((50.0, 2.0)));
    let client = Client::webhook(&portal.start().await).unwrap();
    let start = tokio::time::Instant::now();
    let calls: Vec<_> = (0..90)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .call_raw(ApiVersion::V2, "crm.deal.get", json!({}))
                    .await
            })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(portal.requests(), 90);
    assert_eq!(portal.refused(), 0);
    let elapsed = start.elapsed().as_secs_f64();
    assert!(
        (19.5..21.0).contains(&elapsed),
        "40 past the burst at 2/s take 20 s, took {elapsed}"
    );
}

#[tokio::test(start_paused = true)]
async fn enterprise_limits_allow_a_bigger_burst() {
    let portal = Portal::new(10, Some((250.0, 5.0)));
    let url = portal.start().await;
    let client = Client::builder(Webhook::from_url(&url).unwrap())
        .rate_limit(RateLimit::ENTERPRISE)
        .build()
        .unwrap();
    let start = tokio::time::Instant::now();
    let calls: Vec<_> = (0..260)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .call_raw(ApiVersion::V2, "crm.deal.get", json!({}))
                    .await
            })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(portal.refused(), 0);
    let elapsed = start.elapsed().as_secs_f64();
    assert!(
        (1.9..2.5).contains(&elapsed),
        "10 past the burst at 5/s take 2 s, took {elapsed}"
    );
}
