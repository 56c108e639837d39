//! The generated crate against `bitrix24-mock`, as a user's own tests would run it: a deal
//! created, read, changed and read again through the typed calls, with a user field on the way.

#![allow(deprecated)]

use bitrix24::prelude::*;
use bitrix24::{crm, Client};
use bitrix24_mock::Portal;
use serde_json::json;

#[tokio::test]
async fn a_deal_round_trips_through_the_typed_calls() {
    let portal = Portal::start().await.unwrap();
    let client = Client::webhook(&portal.webhook_url()).unwrap();

    let mut fields = crm::Deal::new();
    fields.title = Some("Lamps".into());
    fields.opportunity = Some(1200.5);
    fields.opened = Some(true);
    fields.uf_crm.insert("UF_CRM_COLOR".into(), json!("blue"));
    let id = client.crm().deal().add(fields).await.unwrap();
    assert!(id > 0);

    let deal = client.crm().deal().get(id).await.unwrap();
    assert_eq!(deal.id(), Some(id));
    assert_eq!(deal.title.as_deref(), Some("Lamps"));
    assert_eq!(deal.opportunity, Some(1200.5));
    assert_eq!(deal.opened, Some(true));
    assert_eq!(deal.uf_crm.get("UF_CRM_COLOR"), Some(&json!("blue")));

    let mut change = crm::Deal::new();
    change.title = Some("Brass lamps".into());
    let updated = client.crm().deal().update(id, change).await.unwrap();
    assert!(updated);
    let deal = client.crm().deal().get(id).await.unwrap();
    assert_eq!(deal.title.as_deref(), Some("Brass lamps"));
    assert_eq!(deal.uf_crm.get("UF_CRM_COLOR"), Some(&json!("blue")));
}
