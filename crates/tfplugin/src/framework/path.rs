//! Attribute paths: where in a configuration a diagnostic points. An
//! immutable builder over a closed set of steps, mirroring the protocol's
//! `AttributePath.Step` (attribute name, string key, integer index).

use std::fmt;

/// One step into a value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Attribute(String),
    ElementKeyString(String),
    ElementKeyInt(i64),
}

/// A path from the root of a resource/data source/provider configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AttributePath {
    steps: Vec<Step>,
}

impl AttributePath {
    /// The empty path (the whole block).
    pub fn root() -> AttributePath {
        AttributePath::default()
    }
    /// A path to a top-level attribute.
    pub fn attr(name: &str) -> AttributePath {
        AttributePath::root().at_attr(name)
    }
    #[must_use]
    pub fn at_attr(&self, name: &str) -> AttributePath {
        self.with(Step::Attribute(name.to_string()))
    }
    #[must_use]
    pub fn at_key(&self, key: &str) -> AttributePath {
        self.with(Step::ElementKeyString(key.to_string()))
    }
    #[must_use]
    pub fn at_index(&self, index: usize) -> AttributePath {
        self.with(Step::ElementKeyInt(
            i64::try_from(index).unwrap_or(i64::MAX),
        ))
    }
    fn with(&self, step: Step) -> AttributePath {
        let mut steps = self.steps.clone();
        steps.push(step);
        AttributePath { steps }
    }
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }
    pub fn from_steps(steps: Vec<Step>) -> AttributePath {
        AttributePath { steps }
    }
    pub fn is_root(&self) -> bool {
        self.steps.is_empty()
    }
}

impl fmt::Display for AttributePath {
    /// HCL-like rendering: `inline_roles[0].effect`, `tags["env"]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.steps.is_empty() {
            return f.write_str("(root)");
        }
        for (i, s) in self.steps.iter().enumerate() {
            match s {
                Step::Attribute(a) if i == 0 => write!(f, "{a}")?,
                Step::Attribute(a) => write!(f, ".{a}")?,
                Step::ElementKeyString(k) => write!(f, "[{k:?}]")?,
                Step::ElementKeyInt(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_hcl() {
        let p = AttributePath::attr("inline_roles")
            .at_index(0)
            .at_attr("effect");
        assert_eq!(p.to_string(), "inline_roles[0].effect");
        assert_eq!(AttributePath::attr("m").at_key("k").to_string(), "m[\"k\"]");
        assert_eq!(AttributePath::root().to_string(), "(root)");
    }
}
