//! Property tests: no byte sequence makes the envelope decoder, the form decoder or the
//! lenient helpers panic.

use bitrix24_runtime::{decode_body, events::parse_form, lenient};
use proptest::prelude::*;
use serde_json::Value;

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
