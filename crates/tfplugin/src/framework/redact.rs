//! `Debug` without secrets. A [`Value`] prints its shape only (it does not know its schema);
//! [`Value::redacted`] shows a value against its schema block: everything in clear except
//! the attributes the schema marks sensitive. The request and result types print their
//! values the same two ways (`Debug`: shape; `redacted(block)`: by the schema) and their
//! private bytes and raw state as a size only.
//!
//! Why shape by default rather than redaction by schema everywhere: values are built in
//! many places (codecs, the engine, tests) that do not hold the schema, and tfplugin5 sends
//! no sensitivity marks with them. A `Debug` that needed the schema would print secrets
//! wherever someone forgot to wrap; one that prints shapes cannot.

use super::engine::{Imported, RawState};
use super::provider::{ApplyRequest, Opened, Outcome, Plan, PlanRequest, Renewed};
use super::schema::{Block, NestedBlock};
use super::value::Value;
use std::fmt::{self, Debug, Formatter};

/// A value shown against its schema block (see [`Value::redacted`]).
pub struct Redacted<'a> {
    value: &'a Value,
    block: &'a Block,
}

impl Value {
    /// This object value shown against `block`: attributes the schema marks sensitive print
    /// as `<sensitive>` (null stays null), nested blocks follow their own schema, everything
    /// else prints in clear. Anything the schema does not describe prints as its shape.
    pub fn redacted<'a>(&'a self, block: &'a Block) -> Redacted<'a> {
        Redacted { value: self, block }
    }
}

impl Debug for Redacted<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let Value::Object(m) = self.value else {
            return match self.value {
                Value::Null | Value::Unknown(_) => Clear(self.value).fmt(f),
                other => other.fmt(f),
            };
        };
        let mut map = f.debug_map();
        for (k, v) in m {
            if let Some(a) = self.block.attribute(k) {
                if a.sensitive && !v.is_null() {
                    map.entry(k, &format_args!("<sensitive>"));
                } else {
                    map.entry(k, &Clear(v));
                }
            } else if let Some(b) = self.block.blocks.iter().find(|b| b.type_name == *k) {
                map.entry(k, &Nested(v, b));
            } else {
                map.entry(k, v);
            }
        }
        map.finish()
    }
}

/// The value of a nested block attribute: each element against the block's schema.
struct Nested<'a>(&'a Value, &'a NestedBlock);

impl Debug for Nested<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let block = &self.1.block;
        match self.0 {
            Value::List(v) | Value::Set(v) => f
                .debug_list()
                .entries(v.iter().map(|x| x.redacted(block)))
                .finish(),
            Value::Map(m) => f
                .debug_map()
                .entries(m.iter().map(|(k, x)| (k, x.redacted(block))))
                .finish(),
            other => other.redacted(block).fmt(f),
        }
    }
}

/// A value of a non-sensitive attribute, in clear.
struct Clear<'a>(&'a Value);

impl Debug for Clear<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::Null => f.write_str("null"),
            Value::Unknown(_) => f.write_str("unknown"),
            Value::Bool(b) => b.fmt(f),
            Value::Number(n) => write!(f, "{n}"),
            Value::String(s) => s.fmt(f),
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => {
                f.debug_list().entries(v.iter().map(Clear)).finish()
            }
            Value::Map(m) | Value::Object(m) => f
                .debug_map()
                .entries(m.iter().map(|(k, x)| (k, Clear(x))))
                .finish(),
            Value::Dynamic(_, v) => Clear(v).fmt(f),
        }
    }
}

/// Private bytes and raw state: their size only.
struct Bytes<'a>(&'a [u8]);

impl Debug for Bytes<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

/// A value as a request or result prints it: against its block when given, else its shape.
struct Shown<'a>(&'a Value, Option<&'a Block>);

impl Debug for Shown<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.1 {
            Some(block) => self.0.redacted(block).fmt(f),
            None => self.0.fmt(f),
        }
    }
}

/// A `Debug` from a closure (the `redacted` views below).
struct Fmt<F: Fn(&mut Formatter<'_>) -> fmt::Result>(F);

impl<F: Fn(&mut Formatter<'_>) -> fmt::Result> Debug for Fmt<F> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        (self.0)(f)
    }
}

/// One field of a request or result as its `Debug` shows it: a `value` by [`Shown`], `bytes`
/// by their size, anything `plain` by its own `Debug`.
macro_rules! shown {
    (value, $field:expr, $block:expr) => {
        &Shown(&$field, $block)
    };
    (bytes, $field:expr, $block:expr) => {
        &Bytes(&$field)
    };
    (plain, $field:expr, $block:expr) => {
        &$field
    };
}

/// `Debug` for a request or result type, its fields in the order given, each [`shown!`] as
/// tagged; with `redacted`, also `redacted(block)`: its values against the schema block of
/// the type the request or result belongs to.
macro_rules! redacting_debug {
    ($t:ident { $($field:ident: $how:ident),* $(,)? }) => {
        impl $t {
            // A type without `value` fields never looks at the block.
            #[allow(unused_variables)]
            fn debug_with(&self, block: Option<&Block>, f: &mut Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($t))
                    $( .field(stringify!($field), shown!($how, self.$field, block)) )*
                    .finish()
            }
        }

        impl Debug for $t {
            fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
                self.debug_with(None, f)
            }
        }
    };
    (redacted $t:ident { $($field:ident: $how:ident),* $(,)? }) => {
        redacting_debug!($t { $($field: $how),* });

        impl $t {
            /// `Debug` with the values shown against `block`, the schema they belong to:
            /// attributes marked sensitive are hidden, everything else is in clear.
            pub fn redacted<'a>(&'a self, block: &'a Block) -> impl Debug + 'a {
                Fmt(move |f: &mut Formatter<'_>| self.debug_with(Some(block), f))
            }
        }
    };
}

redacting_debug!(redacted PlanRequest {
    prior: value,
    proposed: value,
    config: value,
    prior_private: bytes,
});
redacting_debug!(redacted ApplyRequest {
    prior: value,
    planned: value,
    config: value,
    planned_private: bytes,
});
redacting_debug!(redacted Outcome {
    state: value,
    private: bytes,
    diagnostics: plain,
    identity: plain,
});
redacting_debug!(redacted Plan {
    planned: value,
    private: bytes,
    requires_replace: plain,
    diagnostics: plain,
    identity: plain,
});
redacting_debug!(redacted Opened {
    result: value,
    private: bytes,
    renew_at: plain,
    diagnostics: plain,
});
redacting_debug!(Renewed {
    private: bytes,
    renew_at: plain,
    diagnostics: plain,
});
redacting_debug!(Imported {
    state: plain,
    private: bytes,
    diagnostics: plain,
    identity: plain,
});
redacting_debug!(RawState {
    json: bytes,
    flatmap: plain,
});

#[cfg(test)]
#[path = "redact_tests.rs"]
mod tests;
