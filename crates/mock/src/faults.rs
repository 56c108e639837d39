//! Injected faults: the next calls of a method (or of any method) answer with a given error,
//! arrive late, or come back as a body that is not JSON. Inside a `batch`, a fault aimed at a
//! command's method fails just that command.

use std::sync::Mutex;
use std::time::Duration;

use crate::reply::ApiError;

/// What an injected fault does.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultKind {
    /// Answer with this error instead of running the method.
    Error(ApiError),
    /// Run the method, but answer this much later.
    Delay(Duration),
    /// Answer 200 with a body that is not JSON.
    Garbage,
}

/// A fault for the next `times` calls of `method` (`None`: any method).
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// The method it hits, case-insensitively; `None` for every method (and whole batches).
    pub method: Option<String>,
    /// How many calls it hits.
    pub times: u32,
    /// What it does.
    pub kind: FaultKind,
}

impl Fault {
    /// The next `times` calls of `method` fail with `status`/`code`.
    pub fn error(method: &str, times: u32, status: u16, code: &str, message: &str) -> Self {
        Self {
            method: Some(method.to_owned()),
            times,
            kind: FaultKind::Error(ApiError::new(status, code, message)),
        }
    }
}

/// Faults waiting to hit.
#[derive(Debug, Default)]
pub struct Faults {
    pending: Mutex<Vec<Fault>>,
}

impl Faults {
    /// Add a fault.
    pub fn inject(&self, fault: Fault) {
        self.lock().push(fault);
    }

    /// The fault that hits this call of `method`, if any (consuming one of its `times`).
    pub fn take(&self, method: &str) -> Option<FaultKind> {
        let mut pending = self.lock();
        let index = pending.iter().position(|f| {
            f.times > 0
                && f.method
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method))
        })?;
        let fault = &mut pending[index];
        fault.times -= 1;
        let kind = fault.kind.clone();
        if fault.times == 0 {
            pending.remove(index);
        }
        Some(kind)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_hit_their_method_the_given_number_of_times() {
        let faults = Faults::default();
        faults.inject(Fault::error(
            "crm.deal.get",
            2,
            500,
            "INTERNAL_SERVER_ERROR",
            "x",
        ));
        assert!(faults.take("crm.deal.list").is_none());
        assert!(faults.take("CRM.DEAL.GET").is_some());
        assert!(faults.take("crm.deal.get").is_some());
        assert!(faults.take("crm.deal.get").is_none());
    }
}
