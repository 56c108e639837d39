//! Splitting the IDs between the first chain's last item and the highest ID into disjoint
//! ranges, one concurrent chain each, sized so each holds about one chain (2,500 items) when
//! IDs are dense. Ranges are produced lazily: a huge span never allocates.

/// Items one chained request reads: 50 commands of 50.
pub(crate) const CHAIN_ITEMS: u64 = 2_500;

/// IDs strictly between `after` and `before`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IdRange {
    pub after: u64,
    pub before: Option<u64>,
}

/// `count` ranges covering every ID strictly between `after` and `before`, in ascending order.
/// `count` is clamped to the number of IDs in between.
pub(crate) fn split(after: u64, before: u64, count: u64) -> impl Iterator<Item = IdRange> {
    let span = before.saturating_sub(after).saturating_sub(1);
    let count = count.min(span);
    let width = if count == 0 { 0 } else { span.div_ceil(count) };
    (0..count).map(move |j| {
        let low = after.saturating_add(j.saturating_mul(width));
        let high = if j + 1 == count {
            before
        } else {
            low.saturating_add(width).saturating_add(1).min(before)
        };
        IdRange {
            after: low,
            before: Some(high),
        }
    })
}

/// How many chains the rest of a list needs: from the count when the portal gave one, else
/// from the ID span.
pub(crate) fn chains_needed(remaining: Option<u64>, span: u64) -> u64 {
    remaining.unwrap_or(span).div_ceil(CHAIN_ITEMS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covered(after: u64, before: u64, count: u64) -> Vec<u64> {
        split(after, before, count)
            .flat_map(|r| r.after + 1..r.before.unwrap())
            .collect()
    }

    #[test]
    fn ranges_are_disjoint_and_cover_the_span() {
        assert_eq!(covered(2450, 9951, 3), (2451..9951).collect::<Vec<_>>());
        let ranges: Vec<_> = split(2450, 9951, 3).collect();
        assert_eq!(
            ranges[0],
            IdRange {
                after: 2450,
                before: Some(4951)
            }
        );
        assert_eq!(covered(10, 14, 7), vec![11, 12, 13]);
        assert_eq!(split(10, 11, 5).count(), 0);
        assert_eq!(covered(0, 100, 1), (1..100).collect::<Vec<_>>());
    }

    #[test]
    fn huge_spans_do_not_overflow_or_allocate() {
        let mut ranges = split(5, u64::MAX, u64::MAX / 2);
        assert_eq!(ranges.next().unwrap().after, 5);
        assert_eq!(chains_needed(Some(7_500), 1_000_000), 3);
        assert_eq!(chains_needed(None, 2_501), 2);
        assert_eq!(chains_needed(Some(0), 10), 0);
    }
}
