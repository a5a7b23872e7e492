//! Tests of `limiter.rs`, in paused tokio time: the concurrency cap, pauses after a 429, and
//! pacing by the `Remaining` headers (issue 11 item 4).

use super::*;

/// Takes `n` permits one after another and keeps them (calls in flight).
async fn hold(limiter: &Arc<Limiter>, n: usize) -> Vec<Permit> {
    let mut held = Vec::new();
    for _ in 0..n {
        held.push(limiter.acquire().await);
    }
    held
}

/// Takes and returns `n` permits one after another (calls that start and finish); how long
/// that took.
async fn pass(limiter: &Arc<Limiter>, n: usize) -> Duration {
    let start = Instant::now();
    for _ in 0..n {
        drop(limiter.acquire().await);
    }
    Instant::now() - start
}

/// Whether a new call is still waiting for a permit after `ms` milliseconds.
async fn still_waiting_after_ms(limiter: &Arc<Limiter>, ms: u64) -> bool {
    tokio::time::timeout(Duration::from_millis(ms), limiter.acquire())
        .await
        .is_err()
}

#[tokio::test(start_paused = true)]
async fn never_more_than_max_in_flight() {
    let limiter = Limiter::new(3);
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let l = Arc::clone(&limiter);
        tasks.push(tokio::spawn(async move {
            let _p = l.acquire().await;
            tokio::time::sleep(Duration::from_millis(10)).await;
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    let stats = limiter.stats();
    assert_eq!(stats.peak, 3);
    assert_eq!(stats.in_flight, 0);
}

#[tokio::test(start_paused = true)]
async fn pause_holds_everyone_until_it_ends() {
    let limiter = Limiter::new(4);
    let start = Instant::now();
    limiter.pause_for(Duration::from_secs(5));
    let _p = limiter.acquire().await;
    assert!(Instant::now() - start >= Duration::from_secs(5));
}

/// Issue 11 item 4: `Remaining: 3` with nothing in flight lets three attempts start at
/// once; the fourth waits for the reset; the new window opens with as many as the last one
/// allowed until its first answer.
#[tokio::test(start_paused = true)]
async fn the_remaining_count_is_spent_then_calls_wait_for_the_reset() {
    let limiter = Limiter::new(10);
    let start = Instant::now();
    limiter.observe_remaining(3, Some(Duration::from_secs(2)));
    pass(&limiter, 3).await;
    assert_eq!(Instant::now(), start, "three start at once");
    assert_eq!(limiter.stats().paced, 0);
    drop(limiter.acquire().await);
    let waited = Instant::now() - start;
    assert!(
        waited >= Duration::from_secs(2) && waited <= Duration::from_millis(2_050),
        "the fourth starts at the reset: {waited:?}"
    );
    assert_eq!(limiter.stats().paced, 1);
    // At the reset, as many as the last window allowed (3 + the answering one) start at
    // once (the fourth was one); more wait for the new window's first answer.
    pass(&limiter, 3).await;
    assert_eq!(Instant::now() - start, waited);
    assert!(
        still_waiting_after_ms(&limiter, 500).await,
        "the first burst is bounded"
    );
    limiter.observe_remaining(50, Some(Duration::from_secs(2)));
    let took = pass(&limiter, 20).await;
    assert_eq!(took, Duration::ZERO, "the new window's answer opens it");
}

/// The attempts in flight when an answer arrives may not be counted yet: with `Remaining`
/// no more than them, new calls wait for the reset, even after they return.
#[tokio::test(start_paused = true)]
async fn remaining_at_or_below_in_flight_holds_new_calls_until_reset() {
    let limiter = Limiter::new(10);
    let mut held = hold(&limiter, 5).await;
    let start = Instant::now();
    held[0].observe_remaining(4, Some(Duration::from_millis(1_500)));
    held.clear();
    drop(limiter.acquire().await);
    assert!(Instant::now() - start >= Duration::from_millis(1_500));

    // Remaining 6 with 4 others in flight: two more may start, the third waits.
    held = hold(&limiter, 5).await;
    let start = Instant::now();
    held[0].observe_remaining(6, Some(Duration::from_secs(1)));
    held.clear();
    pass(&limiter, 2).await;
    assert_eq!(Instant::now(), start);
    drop(limiter.acquire().await);
    assert!(Instant::now() - start >= Duration::from_secs(1));
}

/// Answers processed in another order than the server counted them: the lowest count sets
/// the budget, and each answer counted before it (a higher count, one of the attempts
/// subtracted as in flight) gives one back, at most as many as were in flight. An answer
/// of an earlier window changes nothing; a later reset opens a new window.
#[tokio::test(start_paused = true)]
async fn answers_out_of_order_cost_nothing_and_late_windows_are_ignored() {
    let limiter = Limiter::new(10);
    let mut held = hold(&limiter, 4).await;
    // The server counted A (5 left), B (4), C (3), D (2); D's answer is processed first.
    let reset_at = Instant::now() + Duration::from_secs(2);
    let reset = || Some(reset_at - Instant::now());
    let mut answer = |remaining| {
        let p = held.pop().expect("held");
        p.observe_remaining(remaining, reset());
    };
    answer(2); // D: 2 − 3 others in flight → none left
    assert!(
        still_waiting_after_ms(&limiter, 100).await,
        "D alone leaves nothing"
    );
    for remaining in [3, 5, 4] {
        answer(remaining); // C, A, B: already counted
    }
    limiter.observe_remaining(9, reset()); // a fourth give-back: more than were in flight
    limiter.observe_remaining(30, Some(Duration::from_millis(500))); // an earlier window
    let took = pass(&limiter, 2).await;
    assert_eq!(took, Duration::ZERO, "the two really left start at once");
    assert!(
        still_waiting_after_ms(&limiter, 500).await,
        "no more than two"
    );
    limiter.observe_remaining(5, Some(Duration::from_secs(4)));
    let took = pass(&limiter, 5).await;
    assert_eq!(took, Duration::ZERO, "the new window allows five");
}

/// Reset times and counts are server input: a reset too far away (or past what an
/// `Instant` holds) is not used for pacing, a negative count is zero, a missing reset
/// means one second; nothing panics or overflows.
#[tokio::test(start_paused = true)]
async fn odd_rate_limit_headers_never_hold_long_or_panic() {
    let limiter = Limiter::new(2);
    let start = Instant::now();
    limiter.observe_remaining(0, Some(Duration::MAX));
    limiter.observe_remaining(0, Some(MAX_PACING_HOLD + Duration::from_millis(1)));
    limiter.observe_remaining(i64::MIN, Some(Duration::from_secs(3_600)));
    drop(limiter.acquire().await);
    assert_eq!(Instant::now(), start, "far resets are not paced");

    limiter.observe_remaining(-5, None);
    drop(limiter.acquire().await);
    let waited = Instant::now() - start;
    assert!(
        waited >= Duration::from_secs(1) && waited <= Duration::from_millis(1_050),
        "{waited:?}"
    );

    limiter.observe_remaining(i64::MAX, Some(Duration::ZERO));
    limiter.observe_remaining(i64::MAX, Some(Duration::ZERO));
    let now = Instant::now();
    pass(&limiter, 5).await;
    assert_eq!(Instant::now(), now);
}

/// The shared gate at work: a server allowing 40 requests per fixed 2 s window (counted
/// when a request has taken its 90–110 ms, as the emulator does; answers take 0–20 ms
/// back), 20 callers sharing one
/// limiter of 10 slots for 200 requests. Paced by the headers, none is refused and the
/// work ends in the fifth window; without pacing a burst of 429s follows each window.
#[tokio::test(start_paused = true)]
async fn callers_pace_to_a_fixed_window_without_429s() {
    struct Server {
        start: Instant,
        index: u128,
        count: i64,
        refused: u32,
    }
    const WINDOW: Duration = Duration::from_secs(2);
    const LIMIT: i64 = 40;
    const LATENCY: Duration = Duration::from_millis(100);
    let start = Instant::now();
    let server = Arc::new(Mutex::new(Server {
        start,
        index: 0,
        count: 0,
        refused: 0,
    }));
    let limiter = Limiter::new(10);
    let jobs = Arc::new(Mutex::new(200_u32));
    let rng = Arc::new(Mutex::new(42_u64));
    let mut callers = Vec::new();
    for _ in 0..20 {
        let (server, limiter, jobs, rng) = (
            Arc::clone(&server),
            Arc::clone(&limiter),
            Arc::clone(&jobs),
            Arc::clone(&rng),
        );
        callers.push(tokio::spawn(async move {
            loop {
                {
                    let mut left = jobs.lock().expect("jobs");
                    if *left == 0 {
                        return;
                    }
                    *left -= 1;
                }
                loop {
                    let permit = limiter.acquire().await;
                    // 90–110 ms there, 0–20 ms back: the server counts attempts in another
                    // order than they start, and answers arrive in yet another.
                    let (there, back) = {
                        let mut r = rng.lock().expect("rng");
                        *r = r.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                        let there = LATENCY - Duration::from_millis(10)
                            + Duration::from_millis((*r >> 33) % 21);
                        (there, Duration::from_millis((*r >> 45) % 21))
                    };
                    tokio::time::sleep(there).await;
                    let (ok, remaining, until_reset) = {
                        let mut s = server.lock().expect("server");
                        let now = Instant::now();
                        let index = (now - s.start).as_nanos() / WINDOW.as_nanos();
                        if index != s.index {
                            s.index = index;
                            s.count = 0;
                        }
                        s.count += 1;
                        let windows = u32::try_from(index + 1).expect("few windows");
                        let reset = s.start + WINDOW * windows;
                        let ok = s.count <= LIMIT;
                        if !ok {
                            s.refused += 1;
                        }
                        (ok, (LIMIT - s.count).max(0), reset - now)
                    };
                    tokio::time::sleep(back).await;
                    let until_reset = until_reset.saturating_sub(back);
                    permit.observe_remaining(remaining, Some(until_reset));
                    drop(permit);
                    if ok {
                        break;
                    }
                    limiter.pause_for(until_reset);
                    tokio::time::sleep(until_reset).await;
                }
            }
        }));
    }
    for c in callers {
        c.await.expect("caller");
    }
    let elapsed = Instant::now() - start;
    let refused = server.lock().expect("server").refused;
    assert_eq!(refused, 0, "no 429s");
    assert!(
        elapsed > WINDOW * 4 && elapsed < WINDOW * 4 + Duration::from_millis(800),
        "200 requests at 40 per window end in the fifth window: {elapsed:?}"
    );
    assert!(limiter.stats().paced > 0);
}

/// Regression (reliability defect 2): huge waits from server headers neither panic nor
/// poison the lock, and a permit dropped after a poisoning still frees its slot.
#[tokio::test(start_paused = true)]
async fn huge_waits_do_not_panic_and_slots_survive_a_poisoned_lock() {
    let limiter = Limiter::new(1);
    limiter.observe_remaining(0, Some(Duration::MAX));
    limiter.pause_for(Duration::MAX);
    assert_eq!(limiter.stats().in_flight, 0);

    let limiter = Limiter::new(1);
    let permit = limiter.acquire().await;
    let l = Arc::clone(&limiter);
    let _ = std::thread::spawn(move || {
        let _guard = l.state.lock();
        panic!("poison the limiter's lock");
    })
    .join();
    assert!(limiter.state.is_poisoned());
    drop(permit);
    assert_eq!(limiter.stats().in_flight, 0);
    let _again = limiter.acquire().await;
    assert_eq!(limiter.stats().in_flight, 1);
}

#[test]
fn zero_means_default() {
    assert_eq!(Limiter::new(0).stats().max, DEFAULT_MAX_CONCURRENCY);
}
