//! Property tests, with a fixed case count so `cargo test` stays bounded: no byte sequence makes
//! the envelope decoder, the form decoder or the lenient helpers panic; typed decode errors
//! never quote a value; `Secret::scrub` removes a secret in every encoding it travels in.

use std::collections::BTreeMap;

use bitrix24_runtime::{decode_body, events::parse_form, lenient, Secret, REDACTED};
use proptest::prelude::*;
use serde::Deserialize;
use serde_json::Value;

/// Cases per property: enough to find shape bugs, bounded so the suite stays fast.
const CASES: u32 = 256;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..512), status in 100u16..600) {
        let _ = decode_body("m", status, &body);
        let _ = parse_form(&body);
    }

    #[test]
    fn arbitrary_json_envelopes_never_panic(value in json_value(), status in 100u16..600) {
        let body = serde_json::to_vec(&value).unwrap();
        let outcome = decode_body("m", status, &body);
        if let Ok(envelope) = outcome {
            prop_assert!((200..300).contains(&status));
            prop_assert_eq!(Some(&envelope.result), value.get("result"));
        }
    }

    #[test]
    fn truncated_valid_bodies_are_errors(cut in 0usize..40) {
        let body = br#"{"result":{"ID":"1","TITLE":"x"},"time":{"start":1}}"#;
        let cut = cut.min(body.len() - 1);
        prop_assert!(decode_body("m", 200, &body[..cut]).is_err());
    }

    #[test]
    fn lenient_helpers_never_panic(value in json_value()) {
        let _ = lenient::int::<_, u64>(value.clone());
        let _ = lenient::option_int::<_, i32>(value.clone());
        let _ = lenient::float(value.clone());
        let _ = lenient::yes_no(value.clone());
        let _ = lenient::option_string(value.clone());
        let _ = lenient::map::<_, std::collections::BTreeMap<String, Value>>(value.clone());
        let _ = lenient::option::<_, Vec<u64>>(value);
    }
}

/// A marker that stands for a value the runtime cannot know is secret.
const MARK: &str = "zq7MARKzq7";

/// JSON with the marker planted in string values.
fn marked_json() -> impl Strategy<Value = Value> {
    let text = prop_oneof![
        Just(MARK.to_owned()),
        "[a-z ]{0,6}".prop_map(|t| format!("{t}{MARK}{t}")),
        "[a-z0-9]{0,6}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        text.clone().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            // Keys are named by the error's path (by design), so the marker stays in values.
            prop::collection::btree_map(
                prop_oneof![
                    Just("id".to_owned()),
                    Just("kind".to_owned()),
                    Just("x".to_owned())
                ],
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
struct Typed {
    id: u64,
    kind: Kind,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
enum Kind {
    Deal,
    Lead,
}

/// Decode `result` into `T` and return what an error would show.
fn shown_error<T: serde::de::DeserializeOwned>(result: &Value) -> Option<String> {
    let body = serde_json::json!({ "result": result }).to_string();
    let envelope = decode_body("m", 200, body.as_bytes()).ok()?;
    let err = envelope.decode::<T>("m", 200).err()?;
    Some(format!("{err} {err:?}"))
}

/// The encodings a server may echo `secret` in, computed independently of the runtime.
fn echoes(secret: &str) -> Vec<String> {
    let escape = |upper: bool| -> String {
        secret
            .bytes()
            .map(|b| match (b.is_ascii_alphanumeric(), upper) {
                (true, _) => (b as char).to_string(),
                (false, true) => format!("%{b:02X}"),
                (false, false) => format!("%{b:02x}"),
            })
            .collect()
    };
    let json = serde_json::to_string(secret).unwrap();
    let json = json[1..json.len() - 1].to_owned();
    let php: String = json
        .chars()
        .map(|c| match c {
            '/' => "\\/".to_owned(),
            c if c.is_ascii() => c.to_string(),
            c => c
                .encode_utf16(&mut [0; 2])
                .iter()
                .map(|u| format!("\\u{u:04x}"))
                .collect(),
        })
        .collect();
    vec![
        secret.to_owned(),
        escape(true),
        escape(false),
        url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
        json,
        php,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn typed_decode_errors_never_quote_a_value(result in marked_json()) {
        let shown = [
            shown_error::<Typed>(&result),
            shown_error::<Vec<u64>>(&result),
            shown_error::<BTreeMap<String, bool>>(&result),
            shown_error::<Option<Kind>>(&result),
        ];
        for text in shown.iter().flatten() {
            prop_assert!(!text.contains(MARK), "{}", text);
        }
    }

    #[test]
    fn scrub_removes_every_encoding_of_a_secret(
        secret in "[a-zA-Z0-9/+= %&\"é~_.-]{8,16}",
        around in prop::collection::vec("[a-z &=]{0,8}", 7),
    ) {
        let forms = echoes(&secret);
        let text: String = around
            .iter()
            .zip(forms.iter().chain(std::iter::once(&secret)))
            .map(|(pad, form)| format!("{pad}{form}"))
            .collect();
        let scrubbed = Secret::new(secret.clone()).scrub(&text);
        for piece in scrubbed.split(REDACTED) {
            for form in &forms {
                prop_assert!(!piece.contains(form.as_str()), "{:?} survived in {:?}", form, scrubbed);
            }
        }
    }
}
