//! Arbitrary-precision numbers, as cty's `number` type requires: Terraform
//! numbers are big decimals, not `i64` or `f64`. Conversions to machine types
//! are explicit and fail instead of silently truncating.

use bigdecimal::{BigDecimal, FromPrimitive, ToPrimitive};
use std::fmt;
use std::str::FromStr;

/// A cty number: a finite big decimal or ±infinity.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Number {
    Finite(BigDecimal),
    PosInfinity,
    NegInfinity,
}

impl Number {
    pub fn from_i64(i: i64) -> Number {
        Number::Finite(BigDecimal::from(i))
    }
    pub fn from_u64(u: u64) -> Number {
        Number::Finite(BigDecimal::from(u))
    }
    /// `None` for NaN (cty has no NaN).
    pub fn from_f64(f: f64) -> Option<Number> {
        if f.is_nan() {
            None
        } else if f == f64::INFINITY {
            Some(Number::PosInfinity)
        } else if f == f64::NEG_INFINITY {
            Some(Number::NegInfinity)
        } else {
            // Use the shortest decimal that round-trips, so 0.1 stays 0.1.
            BigDecimal::from_str(&format!("{f}"))
                .ok()
                .or_else(|| BigDecimal::from_f64(f))
                .map(Number::Finite)
        }
    }
    /// Parses decimal text such as `"12"`, `"-0.5"`, `"1e400"`.
    pub fn parse(s: &str) -> Option<Number> {
        let t = s.trim();
        match t {
            "+Inf" | "Inf" | "inf" | "+inf" => return Some(Number::PosInfinity),
            "-Inf" | "-inf" => return Some(Number::NegInfinity),
            _ => {}
        }
        if t.is_empty() || t.len() > 4096 {
            return None;
        }
        BigDecimal::from_str(t).ok().and_then(|d| {
            // Guard against absurd exponents that would allocate huge digit strings.
            let (_, scale) = d.as_bigint_and_exponent();
            (scale.abs() <= 100_000).then_some(Number::Finite(d))
        })
    }
    /// The exact `i64` value, if this number is an integer in range.
    pub fn to_i64(&self) -> Option<i64> {
        match self {
            Number::Finite(d) if d.is_integer() => d.to_i64(),
            _ => None,
        }
    }
    /// The exact `f64` value, if one exists (infinities included).
    pub fn to_f64_exact(&self) -> Option<f64> {
        match self {
            Number::PosInfinity => Some(f64::INFINITY),
            Number::NegInfinity => Some(f64::NEG_INFINITY),
            Number::Finite(d) => {
                let f = d.to_f64()?;
                let back = BigDecimal::from_str(&format!("{f}")).ok()?;
                (f.is_finite() && &back == d).then_some(f)
            }
        }
    }
    /// The nearest `f64` (lossy).
    pub fn to_f64_lossy(&self) -> f64 {
        match self {
            Number::PosInfinity => f64::INFINITY,
            Number::NegInfinity => f64::NEG_INFINITY,
            Number::Finite(d) => d.to_f64().unwrap_or(f64::NAN),
        }
    }
    pub fn is_integer(&self) -> bool {
        matches!(self, Number::Finite(d) if d.is_integer())
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::PosInfinity => f.write_str("+Inf"),
            Number::NegInfinity => f.write_str("-Inf"),
            Number::Finite(d) => write!(f, "{}", d.normalized().to_plain_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_conversions() {
        let cases: &[(&str, Option<i64>, Option<f64>)] = &[
            ("42", Some(42), Some(42.0)),
            ("-7", Some(-7), Some(-7.0)),
            ("0.5", None, Some(0.5)),
            ("0.1", None, Some(0.1)),
            ("9223372036854775808", None, None),
            ("3.14159265358979323846264338327950288", None, None),
        ];
        for (text, i, f) in cases {
            let n = Number::parse(text).expect(text);
            assert_eq!(n.to_i64(), *i, "{text} as i64");
            assert_eq!(n.to_f64_exact(), *f, "{text} as f64");
        }
    }

    #[test]
    fn display_is_plain_decimal() {
        assert_eq!(Number::parse("1.50").unwrap().to_string(), "1.5");
        assert_eq!(Number::parse("1e3").unwrap().to_string(), "1000");
        assert_eq!(Number::from_f64(f64::INFINITY).unwrap().to_string(), "+Inf");
        assert!(Number::from_f64(f64::NAN).is_none());
        assert!(Number::parse("abc").is_none());
    }
}
