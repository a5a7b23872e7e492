//! The layer in front of every API route: counts requests in flight, applies latency and the
//! fault gate (rate limit, injected 5xx, dropped connection), adds rate-limit headers, and
//! writes the request log.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::clock::real_now_ms;
use super::faults::{Gate, RateHeaders};
use super::log::RequestRecord;
use super::respond::{self, ApiError, Dropped};
use super::shared::{Shared, lock};
use crate::secret::last4;

/// The middleware function.
pub async fn api_gate(State(s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let _in_flight = s.enter();
    let received_at_ms = real_now_ms();
    let since_start = s.started.elapsed();
    let emulator_time_ms = s.clock.now_ms();
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().map(str::to_owned);
    let credential_last4 = req
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(|v| last4(v).to_owned());

    let latency = lock(&s.faults).faults.latency_ms;
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let gate = lock(&s.faults).gate();
    let (mut response, rate) = match gate {
        Gate::Pass(h) => (next.run(req).await, h),
        Gate::RateLimited(h) => (ApiError::rate_limited().into_response(), h),
        Gate::ServerError(status, h) => (ApiError::server(status).into_response(), h),
        Gate::Drop => (respond::dropped(), RateHeaders::default()),
    };
    for (name, value) in &rate.headers {
        if let Ok(v) = HeaderValue::from_str(value) {
            response.headers_mut().insert(*name, v);
        }
    }
    let record = RequestRecord {
        seq: s.seq.fetch_add(1, Ordering::SeqCst),
        method,
        path,
        query,
        status: response.status().as_u16(),
        dropped: response.extensions().get::<Dropped>().is_some(),
        received_at_ms,
        since_start,
        emulator_time_ms,
        rate_limit_reset_ms: rate.reset_ms,
        retry_after_secs: rate.retry_after_secs,
        credential_last4,
    };
    tracing::debug!(method = %record.method, path = %record.path, status = record.status, "emulator request");
    lock(&s.log).push(record);
    response
}
