//! Property tests for incoming events, with a fixed case count: no body makes the event decoder
//! panic, and the tokens in `auth[...]` never show in `Debug` of the event or in an error,
//! whether they arrive plain or percent-encoded.

use bitrix24_runtime::events::{parse_event, verify_event};
use bitrix24_runtime::Secret;
use proptest::prelude::*;

const CASES: u32 = 256;

/// A form body of an event, its parts shuffled with noise, tokens encoded as a form would.
fn event_body() -> impl Strategy<Value = (Vec<u8>, [String; 3])> {
    let token = "[A-Za-z0-9/+=%.~-]{10,24}";
    let noise = prop::collection::vec("[a-z\\[\\]%=&]{0,10}", 0..4);
    (token, token, token, noise, any::<bool>()).prop_map(|(app, access, refresh, noise, named)| {
        let field = |key: &str, value: &str| {
            let value: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
            format!("auth%5B{key}%5D={value}")
        };
        let mut parts = vec![
            field("application_token", &app),
            field("access_token", &access),
            field("refresh_token", &refresh),
            "data%5BFIELDS%5D%5BID%5D=7".to_owned(),
        ];
        if named {
            parts.push("event=ONCRMDEALADD".to_owned());
        }
        parts.extend(noise);
        (parts.join("&").into_bytes(), [app, access, refresh])
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_event(&body);
        let _ = verify_event(&body, &Secret::new("expected-token"));
    }

    #[test]
    fn event_tokens_never_show((body, tokens) in event_body()) {
        let mut shown = Vec::new();
        match parse_event(&body) {
            Ok(event) => shown.push(format!("{event:?}")),
            Err(err) => shown.push(format!("{err} {err:?}")),
        }
        for expected in [tokens[0].as_str(), "another-token"] {
            match verify_event(&body, &Secret::new(expected)) {
                Ok(event) => shown.push(format!("{event:?}")),
                Err(err) => shown.push(format!("{err} {err:?}")),
            }
        }
        for text in &shown {
            for token in &tokens {
                prop_assert!(!text.contains(token.as_str()), "{} in {}", token, text);
            }
        }
    }
}

#[test]
fn deeply_nested_keys_do_not_overflow_the_stack() {
    let mut body = b"event=ONCRMDEALADD&data".to_vec();
    for _ in 0..100_000 {
        body.extend_from_slice(b"%5Ba%5D");
    }
    body.extend_from_slice(b"=1&auth%5Bapplication_token%5D=t0ken");
    let event = parse_event(&body).unwrap();
    assert_eq!(event.event, "ONCRMDEALADD");
    assert_eq!(event.auth.application_token.unwrap().expose(), "t0ken");
}
