//! Typed events end to end: a documented event body, form-encoded as the portal posts it, sent
//! to the generated axum handler, which verifies the application token and hands over the
//! typed event.

use std::path::Path;
use std::sync::{Arc, Mutex};

use bitrix24::event::{handler, Event, EventExt, EventName};
use serde_json::Value;

/// The event's documented example body from the committed spec.
fn documented_body(name: &str) -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec");
    let spec = b24_spec::layout::load(&root).unwrap();
    let event = spec.events.iter().find(|e| e.event == name).unwrap();
    event.example.clone().expect("a documented example body")
}

/// `data[FIELDS][ID]=1&...`: a JSON body as the portal form-encodes it.
fn form(value: &Value, prefix: &str, out: &mut form_urlencoded::Serializer<'_, String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}[{k}]")
                };
                form(v, &key, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                form(v, &format!("{prefix}[{i}]"), out);
            }
        }
        Value::String(s) => {
            out.append_pair(prefix, s);
        }
        Value::Null => {
            out.append_pair(prefix, "");
        }
        other => {
            out.append_pair(prefix, &other.to_string());
        }
    }
}

fn form_body(body: &Value, token: &str) -> String {
    let mut body = body.clone();
    body["auth"]["application_token"] = Value::String(token.to_owned());
    let mut out = form_urlencoded::Serializer::new(String::new());
    form(&body, "", &mut out);
    out.finish()
}

async fn serve(token: &str) -> (String, Arc<Mutex<Vec<Event>>>) {
    let seen: Arc<Mutex<Vec<Event>>> = Arc::default();
    let log = seen.clone();
    let app = handler(token.into(), move |event, _auth| {
        let log = log.clone();
        async move { log.lock().unwrap().push(event) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/"), seen)
}

async fn post(url: &str, body: String) -> u16 {
    reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_documented_deal_event_reaches_the_handler_typed() {
    let (url, seen) = serve("app-token").await;
    let body = documented_body("ONCRMDEALADD");
    assert_eq!(post(&url, form_body(&body, "app-token")).await, 200);
    let seen = seen.lock().unwrap();
    let Event::CrmDealAdd(data) = &seen[0] else {
        panic!("not typed: {:?}", seen[0]);
    };
    let expected = body["data"]["FIELDS"]["ID"]
        .to_string()
        .trim_matches('"')
        .parse::<i64>()
        .unwrap();
    assert_eq!(data.fields.as_ref().and_then(|f| f.id), Some(expected));
    assert_eq!(seen[0].name(), EventName::CrmDealAdd);
    assert_eq!(seen[0].name().as_str(), "ONCRMDEALADD");
}

#[tokio::test]
async fn a_wrong_token_is_refused_and_nothing_is_handed_over() {
    let (url, seen) = serve("app-token").await;
    let body = documented_body("ONCRMDEALADD");
    assert_eq!(post(&url, form_body(&body, "someone-else")).await, 401);
    assert_eq!(post(&url, "not an event".into()).await, 400);
    assert!(seen.lock().unwrap().is_empty());
}

#[test]
fn unknown_events_stay_untyped_and_names_keep_their_spelling() {
    let raw = bitrix24::runtime::events::parse_event(b"event=ONSOMETHINGNEW&data[X]=1").unwrap();
    let typed = raw.typed().unwrap();
    assert_eq!(typed.name(), EventName::Other("ONSOMETHINGNEW".into()));
    assert_eq!(
        EventName::parse("onCrmDealAdd"),
        EventName::Other("onCrmDealAdd".into())
    );
    assert_eq!(EventName::parse("ONCRMDEALADD"), EventName::CrmDealAdd);
}
