//! Retries, rate limits, the limiter and timeouts under injected faults.

mod limiter_and_timeouts;
mod rate_limits;
mod server_errors;
