//! Closed value lists and dates in the generated crate, on real generated types: a listed value
//! reads as its variant, an unlisted one as `Other`, and both are written back exactly as read;
//! dates keep their text and give a chrono value.

use bitrix24::chrono::{FixedOffset, NaiveDate, TimeZone};
use bitrix24::crm::{CommentsType, Item, StageSemanticId};
use bitrix24::{DateTime, Moment};
use serde_json::{json, Value};

fn round_trip(value: Value) -> (Item, Value) {
    let item: Item = serde_json::from_value(value).expect("decodes");
    let back = serde_json::to_value(&item).expect("encodes");
    (item, back)
}

#[test]
fn listed_values_read_as_variants_and_write_back_exactly() {
    let sent = json!({"stageSemanticId": "S", "commentsType": 2});
    let (item, back) = round_trip(sent.clone());
    assert_eq!(item.stage_semantic_id, Some(StageSemanticId::S));
    assert_eq!(item.comments_type, Some(CommentsType::BbCode));
    assert_eq!(back, sent);
}

#[test]
fn unlisted_values_are_kept_in_other_and_write_back_exactly() {
    let sent = json!({"stageSemanticId": "X-NEW", "commentsType": 42});
    let (item, back) = round_trip(sent.clone());
    assert_eq!(
        item.stage_semantic_id,
        Some(StageSemanticId::Other("X-NEW".into()))
    );
    assert_eq!(item.comments_type, Some(CommentsType::Other(42)));
    assert_eq!(back, sent);
}

#[test]
fn numeric_lists_read_quoted_numbers_and_refuse_text() {
    let (item, back) = round_trip(json!({"commentsType": "1"}));
    assert_eq!(item.comments_type, Some(CommentsType::Text));
    assert_eq!(back, json!({"commentsType": 1}));
    let err = serde_json::from_value::<Item>(json!({"commentsType": "soon"})).unwrap_err();
    assert!(err.to_string().contains("commentsType"), "{err}");
}

#[test]
fn values_convert_from_wire_text_and_print_it() {
    assert_eq!(StageSemanticId::from("F"), StageSemanticId::F);
    assert_eq!(
        StageSemanticId::from("f".to_owned()),
        StageSemanticId::Other("f".into())
    );
    assert_eq!(StageSemanticId::P.as_str(), "P");
    assert_eq!(CommentsType::from(3), CommentsType::Html);
    assert_eq!(CommentsType::Html.to_string(), "3");
    let built = Item::new()
        .stage_semantic_id("S")
        .comments_type(CommentsType::Text);
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        json!({"stageSemanticId": "S", "commentsType": 1})
    );
}

#[test]
fn dates_keep_their_text_and_give_chrono_values() {
    let sent =
        json!({"createdTime": "2024-05-01T10:00:00+03:00", "updatedTime": "**put_date_here**"});
    let (item, back) = round_trip(sent.clone());
    assert_eq!(back, sent);
    let created = item.created_time.as_ref().unwrap();
    let offset = FixedOffset::east_opt(3 * 3600).unwrap();
    let expected = offset.with_ymd_and_hms(2024, 5, 1, 10, 0, 0).unwrap();
    assert_eq!(created.moment(), Some(Moment::Zoned(expected)));
    let odd = item.updated_time.as_ref().unwrap();
    assert_eq!((odd.moment(), odd.as_str()), (None, "**put_date_here**"));
}

#[test]
fn dates_built_from_chrono_are_written_as_documented() {
    let at = bitrix24::chrono::Utc
        .with_ymd_and_hms(2024, 5, 1, 7, 0, 0)
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
    let built = Item::new()
        .created_time(at)
        .updated_time(DateTime::from(day));
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        json!({"createdTime": "2024-05-01T07:00:00+00:00", "updatedTime": "2024-05-01"})
    );
}
