//! What is actually sent: for the most used methods and the five seed methods, the page's own
//! request example is turned into the typed request, sent through the typed client to a
//! loopback server that records the HTTP body, and the recorded body must equal the example
//! exactly (same keys, same case, same value shapes). The examples come from the committed spec
//! (`spec/`, or `B24_SPEC`), so nothing of the docs is copied here.

#![allow(deprecated)]

use std::path::Path;
use std::sync::OnceLock;

use b24_spec::Spec;
use bitrix24::prelude::*;
use bitrix24::{chat_bots, chats, crm, disk, events, imopenlines, tasks, user, Method};
use serde_json::{json, Value};

mod support;
use support::portal;

fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let root = std::env::var_os("B24_SPEC").map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec"),
            Into::into,
        );
        b24_spec::layout::load(&root).expect("the committed spec")
    })
}

fn example<M: Method>() -> Value {
    let method = spec()
        .method(M::NAME, b24_spec::ApiVersion::V2)
        .unwrap_or_else(|| panic!("{} in the spec", M::NAME));
    method
        .examples
        .request
        .clone()
        .unwrap_or_else(|| panic!("{} has a request example", M::NAME))
}

/// Sends the page's example through the typed client; the body on the wire must be the example.
async fn sends_the_example<M>()
where
    M: Method + serde::de::DeserializeOwned,
{
    let body = example::<M>();
    let typed: M = serde_json::from_value(body.clone())
        .unwrap_or_else(|e| panic!("{}: the example does not decode: {e}", M::NAME));
    let (client, seen) = portal(json!({"result": null})).await;
    // The reply is not what M::Response expects; only the request matters here.
    let _ = client.call(&typed).await;
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "{}: {seen:?}", M::NAME);
    assert_eq!(seen[0].0, format!("/rest/1/code/{}", M::NAME));
    assert_eq!(
        seen[0].1,
        body,
        "{}: sent body differs from the page's curl body",
        M::NAME
    );
}

macro_rules! sends {
    ($($test:ident: $ty:ty;)*) => {$(
        #[tokio::test]
        async fn $test() {
            sends_the_example::<$ty>().await;
        }
    )*};
}

sends! {
    crm_deal_add: crm::DealAdd;
    crm_deal_update: crm::DealUpdate;
    crm_deal_get: crm::DealGet;
    crm_deal_list: crm::DealList;
    crm_contact_add: crm::ContactAdd;
    crm_contact_update: crm::ContactUpdate;
    crm_contact_get: crm::ContactGet;
    crm_contact_list: crm::ContactList;
    crm_lead_add: crm::LeadAdd;
    crm_lead_update: crm::LeadUpdate;
    crm_lead_get: crm::LeadGet;
    crm_lead_list: crm::LeadList;
    crm_company_add: crm::CompanyAdd;
    crm_company_update: crm::CompanyUpdate;
    crm_company_get: crm::CompanyGet;
    crm_company_list: crm::CompanyList;
    crm_item_add: crm::ItemAdd;
    crm_item_list: crm::ItemList;
    tasks_task_add: tasks::TaskAdd;
    tasks_task_list: tasks::TaskList;
    tasks_task_get: tasks::TaskGet;
    im_message_add: chats::ImMessageAdd;
    imbot_register: chat_bots::ImbotRegister;
    user_get: user::Get;
    disk_folder_upload_file: disk::FolderUploadFile;
    seed_event_unbind: events::EventUnbind;
    seed_event_bind: events::EventBind;
    seed_im_v2_event_unsubscribe: chat_bots::ImV2EventUnsubscribe;
    seed_imconnector_unregister: imopenlines::ImconnectorUnregister;
    seed_crm_activity_binding_delete: crm::ActivityBindingDelete;
}

#[tokio::test]
async fn user_current_sends_an_empty_object() {
    let (client, seen) = portal(json!({"result": {"ID": "1", "NAME": "Ann"}})).await;
    let me = client.user().current().await.unwrap();
    assert_eq!(me.get("NAME"), Some(&json!("Ann")));
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        [("/rest/1/code/user.current".to_owned(), json!({}))]
    );
}

#[tokio::test]
async fn a_batch_of_typed_commands_sends_each_as_a_query() {
    let (client, seen) = portal(json!({"result": {
        "result": {"deal": {"ID": "7"}, "me": {"ID": "1"}},
        "result_error": [], "result_total": [], "result_next": [], "result_time": []
    }}))
    .await;
    let mut batch = bitrix24::runtime::Batch::new();
    batch.add_named("deal", &crm::DealGet::new(7)).unwrap();
    batch.add_named("me", &user::Current::new()).unwrap();
    client.batch(&batch).await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].0, "/rest/1/code/batch");
    assert_eq!(
        seen[0].1,
        json!({"halt": 0, "cmd": {"deal": "crm.deal.get?ID=7", "me": "user.current"}})
    );
}

#[tokio::test]
async fn one_of_alternatives_are_the_only_constructors_and_none_is_refused() {
    let (client, seen) = portal(json!({"result": true})).await;
    let by_tag = chats::ImNotifyDelete::by_tag("order-7");
    client.call(&by_tag).await.unwrap();
    let mut none = chats::ImNotifyDelete::by_tag("x");
    none.tag = None;
    let err = client.call(&none).await.unwrap_err();
    assert!(
        err.to_string().contains("needs one of: ID | TAG | SUB_TAG"),
        "{err}"
    );
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        [(
            "/rest/1/code/im.notify.delete".to_owned(),
            json!({"TAG": "order-7"})
        )],
        "the refused call sent nothing"
    );
}

#[tokio::test]
async fn user_fields_are_a_typed_family_of_keys() {
    let (client, seen) = portal(json!({"result": 5})).await;
    let mut fields = crm::Deal::new();
    fields.title = Some("Lamps".into());
    fields.uf_crm.insert("UF_CRM_1700".into(), json!("red"));
    client.crm().deal().add(fields).await.unwrap();
    assert_eq!(
        seen.lock().unwrap()[0].1,
        json!({"FIELDS": {"TITLE": "Lamps", "UF_CRM_1700": "red"}})
    );
    let (client, _) = portal(json!({"result": {"ID": "5", "UF_CRM_1700": "blue"}})).await;
    let deal = client.crm().deal().get(5).await.unwrap();
    assert_eq!(deal.uf_crm.get("UF_CRM_1700"), Some(&json!("blue")));
    assert!(deal.extra.is_empty(), "{:?}", deal.extra);
}
