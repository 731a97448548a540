//! Reading a knowledge directory from disk: one YAML file an entry, in a folder per kind.

use std::fmt;
use std::path::{Path, PathBuf};

use super::build::{Sources, build};
use super::source::{ComposerSource, FilmSource, TermSource};
use super::{Kind, Knowledge, yaml};

/// One thing wrong in a knowledge directory, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file it is in.
    pub file: PathBuf,
    /// 1-based line, 0 when it concerns the whole file.
    pub line: u32,
    /// 1-based column, 0 when it concerns the whole file.
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = self.line.max(1);
        let column = self.column.max(1);
        write!(
            f,
            "{}:{line}:{column}: {}",
            self.file.display(),
            self.message
        )
    }
}

/// Why a knowledge directory could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The directory or a file in it could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The files were read but are not valid knowledge.
    #[error("{} problem(s) in the knowledge:\n{}", .0.len(), list(.0))]
    Invalid(Vec<Problem>),
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Loads, checks and indexes the knowledge directory `dir`.
pub fn load_dir(dir: &Path) -> Result<Knowledge, LoadError> {
    let sources = read_dir(dir)?;
    build(sources).map_err(LoadError::Invalid)
}

/// Reads every entry file under `dir` without building anything. Files that do not parse are
/// reported together with everything else wrong, so one run of `check` lists all problems.
pub fn read_dir(dir: &Path) -> Result<Sources, LoadError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| LoadError::Io { path, source }
    };
    let meta = std::fs::metadata(dir).map_err(io(dir))?;
    if !meta.is_dir() {
        return Err(LoadError::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a directory"),
        });
    }
    let mut sources = Sources::default();
    for kind in Kind::ALL {
        let folder = dir.join(kind.folder());
        if !folder.exists() {
            sources.problems.push(Problem {
                file: folder,
                line: 0,
                column: 0,
                message: format!("missing folder for {}", kind.folder()),
            });
            continue;
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map_err(io(&folder))?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(io(&folder))?;
        files.sort();
        for file in files {
            let Some(extension) = file.extension().and_then(|e| e.to_str()) else {
                continue;
            };
            if extension == "yml" {
                sources.problems.push(Problem {
                    file,
                    line: 0,
                    column: 0,
                    message: "knowledge files end in .yaml, not .yml".into(),
                });
                continue;
            }
            if extension != "yaml" {
                continue;
            }
            let text = std::fs::read_to_string(&file).map_err(io(&file))?;
            let id = file
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string();
            add_file(&mut sources, kind, id, file, &text);
        }
    }
    Ok(sources)
}

/// Parses one entry file's `text` into `sources` (or a problem).
pub fn add_file(sources: &mut Sources, kind: Kind, id: String, file: PathBuf, text: &str) {
    let parsed = match kind {
        Kind::Film => {
            yaml::parse::<FilmSource>(text).map(|s| sources.films.push((id, file.clone(), s)))
        }
        Kind::Composer => yaml::parse::<ComposerSource>(text)
            .map(|s| sources.composers.push((id, file.clone(), s))),
        Kind::Term => {
            yaml::parse::<TermSource>(text).map(|s| sources.terms.push((id, file.clone(), s)))
        }
    };
    if let Err(error) = parsed {
        sources.problems.push(Problem {
            file,
            line: error.line,
            column: error.column,
            message: error.message,
        });
    }
}
