//! JSON Schemas of the knowledge files, for editors (yaml-language-server) to validate and
//! complete them. Generated from the same types the loader reads, so they cannot drift.

use std::path::Path;

use super::source::{ComposerSource, FilmSource, TermSource};

/// The schema files: (file name, JSON text).
pub fn schemas() -> Vec<(&'static str, String)> {
    let render = |schema: schemars::Schema| {
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        text
    };
    vec![
        (
            "film.schema.json",
            render(schemars::schema_for!(FilmSource)),
        ),
        (
            "composer.schema.json",
            render(schemars::schema_for!(ComposerSource)),
        ),
        (
            "term.schema.json",
            render(schemars::schema_for!(TermSource)),
        ),
    ]
}

/// Writes the schema files into `dir`.
pub fn write_schemas(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in schemas() {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}
