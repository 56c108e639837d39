//! Dates and date-times as the portal sends them, with their chrono value.
//!
//! The portal writes dates in several shapes (`2024-05-01T10:00:00+03:00`, `2024-05-01T10:00:00`,
//! `2024-05-01 10:00:00`, `01.05.2024 10:00:00`, `05/01/2024 10:00:00 am`, `2024-05-01`). A value
//! read keeps its text and is written back exactly as read; [`DateTime::moment`] and
//! [`Date::date`] give the parsed value. Text no shape matches (a placeholder, a new format) is
//! kept, not refused, so one odd value never fails a whole response: its parsed value is `None`.
//! A value built from chrono is written as the docs require: ISO 8601 with the offset
//! (`2024-05-01T10:00:00+03:00`), or `YYYY-MM-DD` for a date.

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

/// Naive date-time shapes, tried in order (a value with an offset is tried first).
const NAIVE_DATE_TIMES: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%Y-%m-%dT%H:%M",
];

/// Date shapes, tried in order.
const DATES: &[&str] = &["%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y"];

/// A parsed date-time: with the offset the portal sent, or the portal's wall-clock time when it
/// sent none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Moment {
    /// The value carried an offset (`+03:00`, `Z`).
    Zoned(chrono::DateTime<FixedOffset>),
    /// No offset: a time in the portal's (or user's) time zone.
    Local(NaiveDateTime),
}

impl Moment {
    /// The wall-clock date and time, whatever the offset.
    pub fn naive(self) -> NaiveDateTime {
        match self {
            Moment::Zoned(at) => at.naive_local(),
            Moment::Local(at) => at,
        }
    }
}

/// A documented `datetime`: the text as sent and its parsed value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DateTime {
    text: String,
    moment: Option<Moment>,
}

impl DateTime {
    /// Reads text in any shape the portal sends; unknown shapes are kept with no parsed value.
    pub fn parse(text: impl Into<String>) -> Self {
        let text = text.into();
        let moment = parse_moment(text.trim());
        DateTime { text, moment }
    }

    /// The text as sent (or as it will be sent).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The parsed value; `None` when the text has no known shape.
    pub fn moment(&self) -> Option<Moment> {
        self.moment
    }

    /// The parsed value when it carried an offset.
    pub fn zoned(&self) -> Option<chrono::DateTime<FixedOffset>> {
        match self.moment? {
            Moment::Zoned(at) => Some(at),
            Moment::Local(_) => None,
        }
    }

    /// The wall-clock date and time, with or without an offset.
    pub fn naive(&self) -> Option<NaiveDateTime> {
        self.moment.map(Moment::naive)
    }
}

fn parse_moment(text: &str) -> Option<Moment> {
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(Moment::Zoned(at));
    }
    if let Ok(at) = chrono::DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%z") {
        return Some(Moment::Zoned(at));
    }
    let naive = NAIVE_DATE_TIMES
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .or_else(|| parse_date(text).map(|d| d.and_time(NaiveTime::MIN)));
    naive.map(Moment::Local)
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    DATES
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
}

impl<Tz: TimeZone> From<chrono::DateTime<Tz>> for DateTime {
    /// ISO 8601 with the offset, to the second: `2024-05-01T10:00:00+03:00`.
    fn from(at: chrono::DateTime<Tz>) -> Self {
        let at = at.fixed_offset();
        DateTime {
            text: at.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            moment: Some(Moment::Zoned(at)),
        }
    }
}

impl From<NaiveDateTime> for DateTime {
    /// ISO 8601 without an offset (the portal's time zone): `2024-05-01T10:00:00`.
    fn from(at: NaiveDateTime) -> Self {
        DateTime {
            text: at.format("%Y-%m-%dT%H:%M:%S").to_string(),
            moment: Some(Moment::Local(at)),
        }
    }
}

impl From<NaiveDate> for DateTime {
    /// A whole day: `2024-05-01`.
    fn from(day: NaiveDate) -> Self {
        DateTime {
            text: day.format("%Y-%m-%d").to_string(),
            moment: Some(Moment::Local(day.and_time(NaiveTime::MIN))),
        }
    }
}

impl std::fmt::Display for DateTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// A documented `date`: the text as sent and its parsed day.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Date {
    text: String,
    date: Option<NaiveDate>,
}

impl Date {
    /// Reads text in any shape the portal sends (a date-time gives its day); unknown shapes are
    /// kept with no parsed value.
    pub fn parse(text: impl Into<String>) -> Self {
        let text = text.into();
        let trimmed = text.trim();
        let date = parse_date(trimmed).or_else(|| parse_moment(trimmed).map(|m| m.naive().date()));
        Date { text, date }
    }

    /// The text as sent (or as it will be sent).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The parsed day; `None` when the text has no known shape.
    pub fn date(&self) -> Option<NaiveDate> {
        self.date
    }
}

impl From<NaiveDate> for Date {
    /// `2024-05-01`.
    fn from(day: NaiveDate) -> Self {
        Date {
            text: day.format("%Y-%m-%d").to_string(),
            date: Some(day),
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::runtime::lenient::string(deserializer).map(DateTime::parse)
    }
}

impl crate::wire::FromWire for DateTime {
    // As for `String`: only `null` is absent; `""` is kept as sent.
    fn from_wire_opt(value: serde_json::Value) -> Result<Option<Self>, serde_json::Error> {
        match value {
            serde_json::Value::Null => Ok(None),
            other => <Self as crate::wire::FromWire>::from_wire(other).map(Some),
        }
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::runtime::lenient::string(deserializer).map(Date::parse)
    }
}

impl crate::wire::FromWire for Date {
    // As for `String`: only `null` is absent; `""` is kept as sent.
    fn from_wire_opt(value: serde_json::Value) -> Result<Option<Self>, serde_json::Error> {
        match value {
            serde_json::Value::Null => Ok(None),
            other => <Self as crate::wire::FromWire>::from_wire(other).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_the_portal_sends_parses_and_round_trips() {
        let naive = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap().and_hms_opt(10, 0, 0).unwrap();
        for text in [
            "2024-05-01T10:00:00+03:00",
            "2024-05-01T10:00:00",
            "2024-05-01 10:00:00",
            "01.05.2024 10:00:00",
            "05/01/2024 10:00:00 am",
            "2024-05-01T10:00:00+0300",
        ] {
            let json = serde_json::to_string(text).unwrap();
            let read: DateTime = serde_json::from_str(&json).unwrap();
            assert_eq!(read.naive(), Some(naive), "{text}");
            assert_eq!(serde_json::to_string(&read).unwrap(), json);
        }
        let zoned = DateTime::parse("2024-05-01T10:00:00+03:00").zoned().unwrap();
        assert_eq!(zoned.offset().local_minus_utc(), 3 * 3600);
        assert_eq!(DateTime::parse("2024-05-01").naive(), NaiveDate::from_ymd_opt(2024, 5, 1).unwrap().and_hms_opt(0, 0, 0));
    }

    #[test]
    fn unknown_text_is_kept_with_no_value() {
        let read: DateTime = serde_json::from_str("\"**put_date_here**\"").unwrap();
        assert_eq!(read.moment(), None);
        assert_eq!(serde_json::to_string(&read).unwrap(), "\"**put_date_here**\"");
        let day: Date = serde_json::from_str("\"soon\"").unwrap();
        assert_eq!(day.date(), None);
        assert_eq!(day.as_str(), "soon");
    }

    #[test]
    fn values_built_from_chrono_are_written_as_documented() {
        let offset = FixedOffset::east_opt(3 * 3600).unwrap();
        let at = offset.with_ymd_and_hms(2024, 5, 1, 10, 0, 0).unwrap();
        assert_eq!(serde_json::to_string(&DateTime::from(at)).unwrap(), "\"2024-05-01T10:00:00+03:00\"");
        let utc = chrono::Utc.with_ymd_and_hms(2024, 5, 1, 7, 0, 0).unwrap();
        assert_eq!(DateTime::from(utc).as_str(), "2024-05-01T07:00:00+00:00");
        let day = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
        assert_eq!(serde_json::to_string(&Date::from(day)).unwrap(), "\"2024-05-01\"");
        assert_eq!(Date::parse("01.05.2024").date(), Some(day));
        assert_eq!(Date::parse("2024-05-01T10:00:00+03:00").date(), Some(day));
    }
}
