//! The shapes the portal answers with: a successful envelope (`result`, `total`, `next`,
//! `time`), and errors in the documented shape of each API version (REST v2:
//! `{"error": CODE, "error_description": TEXT}`; REST 3.0: `{"error": {"code", "message",
//! "validation"}}`).

use std::time::{SystemTime, UNIX_EPOCH};

use b24_spec::ApiVersion;
use serde_json::{json, Map, Value};

/// A successful call: its `result` and, for lists, `total` and `next`.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The `result` member.
    pub result: Value,
    /// `total` of a list page.
    pub total: Option<u64>,
    /// `next` of a list page (absent on the last page and with `start = -1`).
    pub next: Option<u64>,
}

impl Answer {
    /// A plain result.
    pub fn of(result: Value) -> Self {
        Self {
            result,
            total: None,
            next: None,
        }
    }
}

/// One field that failed validation (REST 3.0 lists them under `validation`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The parameter path, dotted (`fields.TITLE`).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

/// An error answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// The `error` code (may be empty: several v2 pages document an empty code).
    pub code: String,
    /// The `error_description` / `message`.
    pub message: String,
    /// Per-field details.
    pub validation: Vec<FieldError>,
    /// The `time` member, for refusals that tell when to come back (`OPERATION_TIME_LIMIT`).
    pub timing: Option<Timing>,
}

impl ApiError {
    /// An error without field details.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            validation: Vec::new(),
            timing: None,
        }
    }

    /// The body in the shape of `api`.
    pub fn body(&self, api: ApiVersion) -> Value {
        let mut body = self.bare_body(api);
        if let Some(timing) = self.timing {
            body["time"] = timing.to_value();
        }
        body
    }

    fn bare_body(&self, api: ApiVersion) -> Value {
        match api {
            ApiVersion::V2 => json!({"error": self.code, "error_description": self.message}),
            ApiVersion::V3 => {
                let mut error = json!({"code": self.code, "message": self.message});
                if !self.validation.is_empty() {
                    error["validation"] = self
                        .validation
                        .iter()
                        .map(|f| json!({"field": f.field, "message": f.message}))
                        .collect();
                }
                json!({ "error": error })
            }
        }
    }

    /// The same error as a `batch` reports it in `result_error`.
    pub fn batch_entry(&self) -> Value {
        json!({"error": self.code, "error_description": self.message})
    }
}

/// The `time` member: when the call ran, and how much of the method's execution-time budget
/// is used (`operating`, `operating_reset_at`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Timing {
    /// Seconds the call took.
    pub duration: f64,
    /// Seconds of execution the method accumulated in the current window.
    pub operating: f64,
    /// Unix time the window ends.
    pub operating_reset_at: f64,
}

impl Timing {
    /// The `time` object.
    pub fn to_value(self) -> Value {
        let finish = unix_now();
        let start = finish - self.duration;
        json!({
            "start": start,
            "finish": finish,
            "duration": self.duration,
            "processing": self.duration,
            "date_start": rfc3339(start),
            "date_finish": rfc3339(finish),
            // Whole seconds like the portal's, rounded up: a client that waits until then must
            // find the window reset.
            "operating_reset_at": self.operating_reset_at.ceil(),
            "operating": self.operating,
        })
    }
}

/// The body of a successful answer.
pub fn success(answer: Answer, timing: Timing) -> Value {
    let mut body = Map::new();
    body.insert("result".into(), answer.result);
    if let Some(total) = answer.total {
        body.insert("total".into(), total.into());
    }
    if let Some(next) = answer.next {
        body.insert("next".into(), next.into());
    }
    body.insert("time".into(), timing.to_value());
    Value::Object(body)
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// A Unix time as `YYYY-MM-DDTHH:MM:SS+00:00`, as the portal writes dates.
pub fn rfc3339(unix: f64) -> String {
    let secs = unix.max(0.0) as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+00:00",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 → (year, month, day); Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_take_the_shape_of_their_api_version() {
        let mut e = ApiError::new(400, "X", "bad");
        assert_eq!(
            e.body(ApiVersion::V2),
            json!({"error": "X", "error_description": "bad"})
        );
        e.validation.push(FieldError {
            field: "id".into(),
            message: "required".into(),
        });
        assert_eq!(
            e.body(ApiVersion::V3),
            json!({"error": {"code": "X", "message": "bad", "validation": [{"field": "id", "message": "required"}]}})
        );
    }

    #[test]
    fn dates_are_rendered_in_utc() {
        assert_eq!(rfc3339(0.0), "1970-01-01T00:00:00+00:00");
        assert_eq!(rfc3339(1_709_251_200.0), "2024-03-01T00:00:00+00:00");
    }

    #[test]
    fn list_envelopes_carry_total_and_next_only_when_set() {
        let body = success(
            Answer {
                result: json!([]),
                total: Some(3),
                next: None,
            },
            Timing::default(),
        );
        assert_eq!(body["total"], 3);
        assert!(body.get("next").is_none());
        assert!(body["time"]["operating_reset_at"].is_number());
    }
}
