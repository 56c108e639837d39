//! The ceiling of one list stream: how many pages it may still read, shared by every request
//! the stream has in flight.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Error;

/// Pages left before the stream stops with [`Error::List`].
#[derive(Debug)]
pub(crate) struct PageBudget {
    left: AtomicU64,
    max: u64,
}

impl PageBudget {
    pub(crate) fn new(max: u64) -> Self {
        Self {
            left: AtomicU64::new(max),
            max,
        }
    }

    /// Take `pages` from the budget, or fail naming the ceiling.
    pub(crate) fn spend(&self, method: &str, pages: u64) -> Result<(), Error> {
        self.left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                left.checked_sub(pages)
            })
            .map(|_| ())
            .map_err(|_| self.exceeded(method))
    }

    /// Whether `pages` more fit, without taking them.
    pub(crate) fn check(&self, method: &str, pages: u64) -> Result<(), Error> {
        if self.left.load(Ordering::SeqCst) >= pages {
            Ok(())
        } else {
            Err(self.exceeded(method))
        }
    }

    fn exceeded(&self, method: &str) -> Error {
        Error::List {
            method: method.to_owned(),
            reason: format!(
                "the list needs more than {} pages (ListOptions::max_pages); \
                 the server's paging may not end",
                self.max
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_is_spent_until_the_ceiling() {
        let budget = PageBudget::new(3);
        assert!(budget.spend("m", 2).is_ok());
        assert!(budget.check("m", 2).is_err());
        let err = budget.spend("m", 2).unwrap_err().to_string();
        assert!(err.contains("more than 3 pages"), "{err}");
        assert!(budget.spend("m", 1).is_ok());
    }
}
