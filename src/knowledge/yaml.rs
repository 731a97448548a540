//! The one place that talks to the YAML library, so a change of library touches one file.
//!
//! serde-saphyr: pure Rust, rejects duplicate keys (which would silently drop a definition), and
//! has budgets that stop alias bombs and deep nesting in files moderators upload.

use serde::de::{DeserializeOwned, IgnoredAny};

/// A YAML problem with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line (0 if unknown).
    pub line: u32,
    /// 1-based column (0 if unknown).
    pub column: u32,
    /// What is wrong, without the location.
    pub message: String,
}

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 24,
            max_aliases: 64,
            max_anchors: 64,
            max_nodes: 50_000,
        },
    }
}

/// Parses `text` as `T`. When that fails, the syntax is checked on its own, so a broken line is
/// reported as such rather than as a confusing type error about a field before it. (Only then:
/// parsing twice was half the cost of loading.)
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_saphyr::from_str_with_options::<T>(text, options()).map_err(|typed| {
        match serde_saphyr::from_str_with_options::<IgnoredAny>(text, options()) {
            Err(syntax) => convert(syntax),
            Ok(_) => convert(typed),
        }
    })
}

/// Writes `value` as YAML.
pub fn write<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_saphyr::to_string(value).map_err(|e| e.to_string())
}

fn convert(error: serde_saphyr::Error) -> YamlError {
    let (line, column) = error
        .location()
        .map(|at| {
            (
                u32::try_from(at.line()).unwrap_or(0),
                u32::try_from(at.column()).unwrap_or(0),
            )
        })
        .unwrap_or((0, 0));
    let rendered = error.without_snippet().to_string();
    YamlError {
        line,
        column,
        message: strip_location(&rendered),
    }
}

/// The library appends or prepends the location in several forms; keep only the message.
fn strip_location(rendered: &str) -> String {
    let mut message = rendered
        .lines()
        .next()
        .unwrap_or(rendered)
        .trim()
        .to_string();
    for prefix in ["error: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            message = rest.to_string();
        }
    }
    if let Some(rest) = message.strip_prefix("line ") {
        // "line 5 column 12: message"
        if let Some((_, after)) = rest.split_once(": ") {
            message = after.to_string();
        }
    }
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    message
}
