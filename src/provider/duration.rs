//! Durations as users write them in HCL (`"24h"`, `"1h30m"`, `"90s"`), the
//! same syntax as Go's `time.ParseDuration` and `time_rotating`, without
//! negative values.

use std::time::Duration;

/// Parses `"24h"`, `"1h30m"`, `"1.5h"`, `"500ms"`, `"0"`.
pub fn parse(s: &str) -> Result<Duration, String> {
    let input = s.trim();
    if input == "0" {
        return Ok(Duration::ZERO);
    }
    if input.is_empty() {
        return Err("a duration must not be empty; use for example \"24h\" or \"30m\"".into());
    }
    let mut total = 0f64;
    let mut rest = input;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return Err(format!(
                "{s:?} is not a duration: expected a number at {rest:?} (e.g. \"24h\", \"90m\")"
            ));
        }
        let n: f64 = rest[..num_len]
            .parse()
            .map_err(|_| format!("{s:?} is not a duration: bad number {:?}", &rest[..num_len]))?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let secs = match &rest[..unit_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            "" => {
                return Err(format!(
                    "{s:?} is not a duration: missing unit (use h, m, s or ms)"
                ));
            }
            u => {
                return Err(format!(
                    "{s:?} is not a duration: unknown unit {u:?} (use h, m, s or ms)"
                ));
            }
        };
        rest = &rest[unit_len..];
        total += n * secs;
    }
    if !total.is_finite() || total > 10.0 * 365.0 * 86400.0 {
        return Err(format!("{s:?} is too long (at most 10 years)"));
    }
    Ok(Duration::from_secs_f64(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let ok: &[(&str, u64)] = &[
            ("24h", 86400),
            ("1h30m", 5400),
            ("90s", 90),
            ("1.5h", 5400),
            ("0", 0),
            ("500ms", 0),
        ];
        for (s, secs) in ok {
            assert_eq!(parse(s).map(|d| d.as_secs()), Ok(*secs), "{s}");
        }
        for bad in ["", "h", "10", "-1h", "3 days", "1d", "1h-"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
