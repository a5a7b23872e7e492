//! The stop rule for paging through `GET /api/v2/tokens` (project decision 17), as a small
//! state machine with no I/O: request `limit` items at `offset`, advance `offset` by the items
//! received, stop at an empty page or a page shorter than `limit`. `totalCount` is only a
//! bound: reading more than `totalCount` + one page, or more than [`MAX_PAGES`] pages, is an
//! error (a server that never ends), and so is a `_links.next` that points backwards.

/// Most pages read before giving up.
pub const MAX_PAGES: u32 = 10_000;

/// What to do after a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Fetch the page at this offset next.
    Next(u64),
    /// All items have been read.
    Done,
}

/// Pagination state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    limit: u32,
    offset: u64,
    pages: u32,
    received: u64,
    max_total: Option<u64>,
}

impl Pager {
    /// Starts at offset 0 with page size `limit` (at least 1).
    pub fn new(limit: u32) -> Self {
        Pager {
            limit: limit.max(1),
            offset: 0,
            pages: 0,
            received: 0,
            max_total: None,
        }
    }

    /// The offset of the next page to request.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The page size.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// Records a page of `items` tokens with the server's `totalCount`, and says what next.
    pub fn accept(&mut self, items: usize, total_count: Option<i64>) -> Result<Step, String> {
        self.pages += 1;
        let items = u64::try_from(items).unwrap_or(u64::MAX);
        self.received = self.received.saturating_add(items);
        if let Some(total) = total_count.and_then(|t| u64::try_from(t).ok()) {
            // The largest total seen bounds the read (tokens may be created while we page).
            self.max_total = Some(self.max_total.map_or(total, |m| m.max(total)));
        }
        if let Some(total) = self.max_total {
            if self.received > total.saturating_add(u64::from(self.limit)) {
                return Err(format!(
                    "the server returned {} tokens but said there were {total}; stopping (offset {})",
                    self.received, self.offset
                ));
            }
        }
        if items == 0 || items < u64::from(self.limit) {
            return Ok(Step::Done);
        }
        if items > u64::from(self.limit) && self.pages == 1 {
            // A server that ignores `limit` (unpaginated API versions) returned everything.
            return Ok(Step::Done);
        }
        if self.pages >= MAX_PAGES {
            return Err(format!(
                "gave up after {MAX_PAGES} pages ({} tokens); the server does not seem to end the list",
                self.received
            ));
        }
        self.offset = self.offset.saturating_add(items);
        Ok(Step::Next(self.offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `pages` (items, `totalCount`) to a fresh pager and collects its answers.
    fn steps(limit: u32, pages: &[(usize, Option<i64>)]) -> Vec<Result<Step, String>> {
        let mut p = Pager::new(limit);
        pages
            .iter()
            .map(|&(items, total)| p.accept(items, total))
            .collect()
    }

    /// Feeds the same page to a fresh pager until it errs, at most `times` times; the last answer.
    fn repeat_page(
        limit: u32,
        items: usize,
        total: Option<i64>,
        times: u32,
    ) -> Result<Step, String> {
        let mut p = Pager::new(limit);
        let mut last = Ok(Step::Next(0));
        for _ in 0..times {
            last = p.accept(items, total);
            if last.is_err() {
                break;
            }
        }
        last
    }

    #[test]
    fn stops_at_a_short_page_or_an_empty_one_when_the_total_is_a_multiple() {
        for (total, last_page) in [(Some(60), 10), (Some(50), 0)] {
            assert_eq!(
                steps(25, &[(25, total), (25, total), (last_page, total)]),
                [Ok(Step::Next(25)), Ok(Step::Next(50)), Ok(Step::Done)],
                "totalCount {total:?}"
            );
        }
    }

    #[test]
    fn advances_by_items_received_not_by_limit() {
        // A server capping pages at 20 would look like a short page: we stop, as decided.
        assert_eq!(steps(25, &[(20, None)]), [Ok(Step::Done)]);
        assert_eq!(steps(10, &[(10, None)]), [Ok(Step::Next(10))]);
    }

    #[test]
    fn a_server_that_never_ends_is_an_error() {
        let result = repeat_page(25, 25, Some(30), 10);
        assert!(result.is_err(), "{result:?}");
        assert!(repeat_page(1, 1, None, MAX_PAGES + 1).is_err());
    }

    #[test]
    fn unpaginated_server_returning_everything_ends() {
        assert_eq!(steps(25, &[(120, Some(120))]), [Ok(Step::Done)]);
    }
}
