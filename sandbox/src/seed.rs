//! Which demo tenant the sandbox starts with (`--seed demo|scale:N`).

use std::fmt;
use std::str::FromStr;

/// The seed: the demo tenant, optionally with `N` deterministic filler apps for benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Seed {
    #[default]
    Demo,
    /// The demo tenant plus N filler apps ("Filler App 0001", …).
    Scale(u32),
}

impl Seed {
    /// How many filler apps come on top of the demo tenant.
    pub fn filler_apps(&self) -> u32 {
        match self {
            Seed::Demo => 0,
            Seed::Scale(n) => *n,
        }
    }
}

impl FromStr for Seed {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "demo" {
            return Ok(Seed::Demo);
        }
        match s.strip_prefix("scale:").map(str::parse::<u32>) {
            Some(Ok(n)) if n <= 100_000 => Ok(Seed::Scale(n)),
            _ => Err(format!(
                "unknown seed {s:?}: use `demo` or `scale:N` (0 <= N <= 100000)"
            )),
        }
    }
}

impl fmt::Display for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seed::Demo => f.write_str("demo"),
            Seed::Scale(n) => write!(f, "scale:{n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_seeds() {
        assert_eq!("demo".parse(), Ok(Seed::Demo));
        assert_eq!("scale:250".parse(), Ok(Seed::Scale(250)));
        assert!("scale:".parse::<Seed>().is_err());
        assert!("big".parse::<Seed>().is_err());
        assert_eq!(Seed::Scale(3).to_string(), "scale:3");
    }
}
