//! Reading every page of `GET /api/v2/tokens` (decision 17). The first page
//! is read alone; its `totalCount` plans the offsets of the remaining pages,
//! which are then fetched concurrently (bounded, in order, through the
//! client and so through its shared limiter). Every page still goes through
//! the client's `Pager`, in order, which owns the stop rule: an empty or
//! short page ends the list, and more than `totalCount` + one page or
//! `MAX_PAGES` pages is an error. When the plan runs out (the list grew) or
//! stops matching what the server returns, the rest is read serially.
//! A `_links.next` that points backwards is an error too.

use crate::client::{Client, Error, ListParams, MAX_PAGES, Pager, Step};
use crate::models::{Token, Tokens};
use futures::{StreamExt, stream};
use std::future::Future;

/// Most pages in flight at once for one read (the client's limiter bounds
/// all requests of the process as well).
pub const MAX_PAGE_CONCURRENCY: usize = 10;

/// Offsets of the pages after the first, as planned from the first page's
/// `totalCount`: `limit, 2·limit, …` up to `total` inclusive (when `total`
/// is a multiple of `limit`, the empty page that ends the list is fetched
/// with the others), at most `MAX_PAGES - 1` of them. Lazy, so a huge (or
/// lying) `totalCount` costs nothing up front.
pub fn planned_offsets(limit: u32, total: Option<i64>) -> impl Iterator<Item = u64> {
    let limit = u64::from(limit.max(1));
    let total = total.and_then(|t| u64::try_from(t).ok()).unwrap_or(0);
    (1..u64::from(MAX_PAGES))
        .map(move |k| k.saturating_mul(limit))
        .take_while(move |o| *o <= total)
}

/// The `offset` query parameter of a link such as
/// `/api/v2/tokens?limit=25&offset=50`.
pub fn link_offset(href: &str) -> Option<u64> {
    let query = href.split_once('?')?.1;
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "offset")
        .and_then(|(_, v)| v.parse().ok())
}

/// Records `page` (fetched at `offset`) in the pager and the result.
fn accept(
    pager: &mut Pager,
    all: &mut Vec<Token>,
    offset: u64,
    page: Tokens,
) -> Result<Step, Error> {
    if let Some(next) = page.next_href().and_then(link_offset) {
        if next <= offset {
            return Err(Error::Pagination(format!(
                "the page at offset {offset} links its next page back to offset {next}; stopping"
            )));
        }
    }
    let step = pager
        .accept(page.items.len(), page.total_count)
        .map_err(Error::Pagination)?;
    all.extend(page.items);
    Ok(step)
}

/// Reads the whole list with `fetch(offset)` (one page of `limit` items),
/// up to `concurrency` pages at a time after the first (1 = serial).
pub async fn read_pages<F, Fut>(
    limit: u32,
    concurrency: usize,
    fetch: F,
) -> Result<Vec<Token>, Error>
where
    F: Fn(u64) -> Fut,
    Fut: Future<Output = Result<Tokens, Error>>,
{
    let mut pager = Pager::new(limit);
    let limit = pager.limit();
    let mut all = Vec::new();
    let first = fetch(0).await?;
    let total = first.total_count;
    let mut step = accept(&mut pager, &mut all, 0, first)?;
    if concurrency > 1 {
        let fetch = &fetch;
        let mut pages = stream::iter(planned_offsets(limit, total))
            .map(|offset| async move { (offset, fetch(offset).await) })
            .buffered(concurrency);
        while let Step::Next(next) = step {
            match pages.next().await {
                Some((offset, page)) if offset == next => {
                    step = accept(&mut pager, &mut all, offset, page?)?;
                }
                // The plan ran out or no longer matches: finish serially.
                _ => break,
            }
        }
        // Dropping the stream abandons pages fetched beyond the end.
    }
    while let Step::Next(offset) = step {
        let page = fetch(offset).await?;
        step = accept(&mut pager, &mut all, offset, page)?;
    }
    Ok(all)
}

/// Every token visible to the client's credential.
pub async fn read_all(
    client: &Client,
    show_all: bool,
    concurrency: usize,
) -> Result<Vec<Token>, Error> {
    let limit = ListParams::default().limit;
    read_pages(
        limit,
        concurrency.clamp(1, MAX_PAGE_CONCURRENCY),
        |offset| {
            client.list_tokens_page(ListParams {
                show_all,
                limit,
                offset,
            })
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::super::model::tests::token;
    use super::*;
    use crate::models::{Link, Links};
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn plans_the_pages_below_the_total() {
        let cases: Vec<(&str, Option<i64>, Vec<u64>)> = vec![
            ("unknown total", None, vec![]),
            ("empty", Some(0), vec![]),
            ("one short page", Some(24), vec![]),
            ("one full page", Some(25), vec![25]),
            ("just over", Some(26), vec![25]),
            ("130 tokens", Some(130), vec![25, 50, 75, 100, 125]),
            ("150 tokens", Some(150), vec![25, 50, 75, 100, 125, 150]),
            ("negative", Some(-5), vec![]),
        ];
        for (name, total, want) in cases {
            assert_eq!(
                planned_offsets(25, total).collect::<Vec<_>>(),
                want,
                "{name}"
            );
        }
        assert_eq!(
            planned_offsets(25, Some(i64::MAX)).count(),
            usize::try_from(MAX_PAGES - 1).unwrap_or(0),
            "a huge totalCount plans at most MAX_PAGES pages"
        );
    }

    #[test]
    fn reads_the_offset_of_a_link() {
        assert_eq!(link_offset("/api/v2/tokens?limit=25&offset=50"), Some(50));
        assert_eq!(link_offset("/api/v2/tokens?offset=7&showAll=true"), Some(7));
        assert_eq!(link_offset("/api/v2/tokens"), None);
        assert_eq!(link_offset("/api/v2/tokens?offset=x"), None);
    }

    /// An in-memory server: `n` tokens, a `totalCount` it reports (which
    /// may lie), optionally never-ending; records the offsets requested.
    struct Fake {
        n: u64,
        reported_total: Box<dyn Fn(u64) -> i64 + Send + Sync>,
        endless: bool,
        next_link: Option<u64>,
        requested: Mutex<Vec<u64>>,
        calls: AtomicU64,
    }

    impl Fake {
        fn new(n: u64) -> Fake {
            Fake {
                n,
                reported_total: Box::new(move |_| i64::try_from(n).unwrap_or(0)),
                endless: false,
                next_link: None,
                requested: Mutex::new(vec![]),
                calls: AtomicU64::new(0),
            }
        }
        async fn page(&self, limit: u32, offset: u64) -> Result<Tokens, Error> {
            let call = self.calls.fetch_add(1, Ordering::SeqCst);
            self.requested.lock().map(|mut r| r.push(offset)).ok();
            tokio::task::yield_now().await;
            let end = if self.endless {
                offset + u64::from(limit)
            } else {
                (offset + u64::from(limit)).min(self.n)
            };
            let items = (offset..end.max(offset))
                .map(|i| token(&format!("t{i:05}"), i64::try_from(i).unwrap_or(0)))
                .collect();
            let links = self.next_link.map(|n| {
                let mut l = Links::new();
                l.insert(
                    "next".into(),
                    Link::json(format!("/api/v2/tokens?offset={n}")),
                );
                l
            });
            Ok(Tokens {
                items,
                links,
                total_count: Some((self.reported_total)(call)),
            })
        }
        fn requested(&self) -> Vec<u64> {
            let mut r = self.requested.lock().map(|r| r.clone()).unwrap_or_default();
            r.sort_unstable();
            r
        }
    }

    fn ids(v: &[Token]) -> Vec<String> {
        v.iter().map(|t| t.id.clone()).collect()
    }

    #[tokio::test]
    async fn serial_and_concurrent_reads_return_the_same_list() {
        for n in [0, 1, 24, 25, 26, 50, 130] {
            let serial_fake = Fake::new(n);
            let serial = read_pages(25, 1, |o| serial_fake.page(25, o))
                .await
                .expect("serial");
            let conc_fake = Fake::new(n);
            let conc = read_pages(25, 4, |o| conc_fake.page(25, o))
                .await
                .expect("concurrent");
            assert_eq!(serial.len(), usize::try_from(n).unwrap_or(0), "n={n}");
            assert_eq!(ids(&serial), ids(&conc), "n={n}");
            assert_eq!(
                serial_fake.requested(),
                conc_fake.requested(),
                "n={n}: same pages"
            );
        }
    }

    #[tokio::test]
    async fn a_list_that_grows_after_the_first_page_is_read_to_the_end() {
        // totalCount says 30 on the first page; 80 tokens are really there.
        let mut f = Fake::new(80);
        f.reported_total = Box::new(|call| if call == 0 { 30 } else { 80 });
        let all = read_pages(25, 4, |o| f.page(25, o)).await.expect("read");
        assert_eq!(all.len(), 80);
        assert_eq!(f.requested(), vec![0, 25, 50, 75]);
    }

    #[tokio::test]
    async fn an_endless_server_is_an_error_not_a_hang() {
        for concurrency in [1, 4] {
            let mut f = Fake::new(0);
            f.endless = true;
            f.reported_total = Box::new(|_| 60);
            let e = read_pages(25, concurrency, |o| f.page(25, o)).await.err();
            assert!(
                matches!(&e, Some(Error::Pagination(m)) if m.contains("said there were 60")),
                "concurrency {concurrency}: {e:?}"
            );
            assert!(f.calls.load(Ordering::SeqCst) <= 10, "stopped early");
        }
    }

    #[tokio::test]
    async fn a_server_that_keeps_raising_totalcount_stops_at_max_pages() {
        let mut f = Fake::new(0);
        f.endless = true;
        f.reported_total = Box::new(|call| i64::try_from((call + 2) * 25).unwrap_or(i64::MAX));
        let e = read_pages(25, 8, |o| f.page(25, o)).await.err();
        assert!(
            matches!(&e, Some(Error::Pagination(m)) if m.contains("pages")),
            "{e:?}"
        );
        assert!(f.calls.load(Ordering::SeqCst) <= u64::from(MAX_PAGES) + 8);
    }

    #[tokio::test]
    async fn a_next_link_pointing_backwards_is_an_error() {
        let mut f = Fake::new(100);
        f.next_link = Some(0);
        let e = read_pages(25, 1, |o| f.page(25, o)).await.err();
        assert!(
            matches!(&e, Some(Error::Pagination(m)) if m.contains("back to offset 0")),
            "{e:?}"
        );
    }

    #[tokio::test]
    async fn a_failing_page_fails_the_read() {
        let f = &Fake::new(100);
        let e = read_pages(25, 4, |o| async move {
            if o == 50 {
                Err(Error::Pagination("boom".into()))
            } else {
                f.page(25, o).await
            }
        })
        .await
        .err();
        assert!(
            matches!(&e, Some(Error::Pagination(m)) if m == "boom"),
            "{e:?}"
        );
    }
}
