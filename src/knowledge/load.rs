//! Reading a knowledge directory from disk: one YAML file an entry, in a folder per kind.

use std::fmt;
use std::path::{Path, PathBuf};

use super::build::{Sources, build};
use super::cache::{self, Kept, Parsed, ParsedRef, Stamp};
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
///
/// Files are read and parsed on every core, as parsing is most of loading a large knowledge base;
/// the result does not depend on how many there are.
pub fn read_dir(dir: &Path) -> Result<Sources, LoadError> {
    read(dir, None).map(|(sources, _)| sources)
}

/// What the parse cache did while a knowledge directory was read.
#[derive(Debug, Default)]
pub struct CacheReport {
    /// Entry files taken from the cache, unchanged since they were parsed.
    pub from_cache: usize,
    /// Entry files parsed because they were new or changed (a file that does not parse is
    /// not counted: it is one of the problems).
    pub parsed: usize,
    /// Why the updated cache could not be written, if it could not (loading goes on without).
    pub write_error: Option<std::io::Error>,
}

/// [`read_dir`], taking files that have not changed since they were last parsed from the cache
/// at `cache_file` and writing it anew when anything changed. Gives the same sources, and the
/// same problems, as [`read_dir`].
pub fn read_dir_cached(dir: &Path, cache_file: &Path) -> Result<(Sources, CacheReport), LoadError> {
    read(dir, Some(cache_file))
}

fn read(dir: &Path, cache_file: Option<&Path>) -> Result<(Sources, CacheReport), LoadError> {
    let meta = std::fs::metadata(dir).map_err(io(dir))?;
    if !meta.is_dir() {
        return Err(LoadError::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a directory"),
        });
    }
    let started = std::time::SystemTime::now();
    // The cache is read on a thread of its own while the folders are listed: in parallel where
    // there are cores, and in a heap of that thread's, so what the knowledge is built from does
    // not lie among the knowledge (as parsing on worker threads does not), and the allocator can
    // give it back once it is freed.
    let reading_cache = cache_file.map(|file| {
        let file = file.to_path_buf();
        std::thread::spawn(move || Kept::read(&file))
    });
    let mut sources = Sources::default();
    let mut files: Vec<(Kind, PathBuf)> = Vec::new();
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
        let mut in_folder: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map_err(io(&folder))?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(io(&folder))?;
        // All share the folder, so this is by name, and a comparison of bytes is cheaper than
        // one of paths, component by component.
        in_folder.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
        files.extend(in_folder.into_iter().map(|file| (kind, file)));
    }

    // Without a cache, nothing is kept.
    let mut kept = reading_cache.map_or_else(Kept::default, |reading| {
        reading
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
    });
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().div_ceil(FILES_PER_THREAD))
        .max(1);
    let chunk = files.len().div_ceil(threads).max(1);
    let outcomes: Vec<Vec<Result<Outcome, LoadError>>> = std::thread::scope(|scope| {
        let kept = cache_file.map(|_| &kept);
        let workers: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(kind, file)| read_file(*kind, file, kept))
                        .collect()
                })
            })
            .collect();
        workers
            .into_iter()
            // A panic while parsing is a bug in the parser: carry it on, as without threads.
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p))
            })
            .collect()
    });
    let mut report = CacheReport::default();
    // Each source's place in the cache and stamp, to write it back: films, composers, terms, in
    // the order of `sources`' lists.
    let mut places: [Vec<Option<(String, Stamp)>>; 3] = Default::default();
    for outcome in outcomes.into_iter().flatten() {
        let mut outcome = match outcome? {
            Outcome::Kept {
                id,
                file,
                key,
                stamp,
                slot,
            } => {
                report.from_cache += 1;
                Outcome::Parsed {
                    id,
                    file,
                    source: Box::new(kept.take(slot)),
                    at: Some((key, stamp)),
                }
            }
            parsed @ Outcome::Parsed { .. } => {
                report.parsed += 1;
                parsed
            }
            other => other,
        };
        if let Outcome::Parsed { source, at, .. } = &mut outcome {
            let list = match source.as_ref() {
                Parsed::Film(_) => 0,
                Parsed::Composer(_) => 1,
                Parsed::Term(_) => 2,
            };
            places[list].push(at.take());
        }
        add(&mut sources, outcome);
    }
    if let Some(cache_file) = cache_file
        && (report.parsed > 0 || kept.left() > 0)
    {
        let [film_places, composer_places, term_places] = places;
        let entries = placed(&sources.films, film_places, ParsedRef::Film)
            .chain(placed(
                &sources.composers,
                composer_places,
                ParsedRef::Composer,
            ))
            .chain(placed(&sources.terms, term_places, ParsedRef::Term));
        report.write_error = cache::write(cache_file, entries, started).err();
    }
    Ok((sources, report))
}

/// The sources of one of `Sources`' lists that have a place in the cache, with that place, for
/// writing: `places` runs beside `list`.
fn placed<'a, S>(
    list: &'a [(String, PathBuf, S)],
    places: Vec<Option<(String, Stamp)>>,
    wrap: fn(&'a S) -> ParsedRef<'a>,
) -> impl Iterator<Item = (String, Stamp, ParsedRef<'a>)> {
    list.iter()
        .zip(places)
        .filter_map(move |((_, _, source), place)| {
            place.map(|(key, stamp)| (key, stamp, wrap(source)))
        })
}

/// Fewer files than this are not worth a thread of their own.
const FILES_PER_THREAD: usize = 64;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> LoadError {
    let path = path.to_path_buf();
    move |source| LoadError::Io { path, source }
}

/// What became of one file in a knowledge folder.
enum Outcome {
    Parsed {
        id: String,
        file: PathBuf,
        source: Box<Parsed>,
        /// Its place in the cache and its stamp, when a cache is in use.
        at: Option<(String, Stamp)>,
    },
    /// Unchanged since the cache was written, where it is under `key` in `slot`.
    Kept {
        id: String,
        file: PathBuf,
        key: String,
        stamp: Stamp,
        slot: usize,
    },
    Problem(Problem),
    /// Not a knowledge file (a README, an editor's backup).
    Skipped,
}

/// Reads and parses one file of a knowledge folder, unless `kept` has it as it is now; an error
/// only when it cannot be read.
fn read_file(kind: Kind, file: &Path, kept: Option<&Kept>) -> Result<Outcome, LoadError> {
    let Some(extension) = file.extension().and_then(|e| e.to_str()) else {
        return Ok(Outcome::Skipped);
    };
    if extension == "yml" {
        return Ok(Outcome::Problem(Problem {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            message: "knowledge files end in .yaml, not .yml".into(),
        }));
    }
    if extension != "yaml" {
        return Ok(Outcome::Skipped);
    }
    let id = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    // Where the cache keeps it, and what the file is now.
    let at = kept.and_then(|kept| {
        let name = file.file_name()?.to_str()?;
        let key = format!("{}/{name}", kind.folder());
        let stamp = Stamp::of(&std::fs::metadata(file).ok()?);
        Some((kept, key, stamp))
    });
    let at = match at {
        Some((kept, key, stamp)) => match kept.find(&key, &stamp) {
            Some(slot) => {
                return Ok(Outcome::Kept {
                    id,
                    file: file.to_path_buf(),
                    key,
                    stamp,
                    slot,
                });
            }
            None => Some((key, stamp)),
        },
        None => None,
    };
    let text = std::fs::read_to_string(file).map_err(io(file))?;
    let mut outcome = parsed(kind, id, file.to_path_buf(), &text);
    if let Outcome::Parsed { at: place, .. } = &mut outcome {
        *place = at;
    }
    Ok(outcome)
}

/// What the `text` of an entry file gives: its source, or the problem with it.
fn parsed(kind: Kind, id: String, file: PathBuf, text: &str) -> Outcome {
    match parse(kind, text) {
        Ok(source) => Outcome::Parsed {
            id,
            file,
            source: Box::new(source),
            at: None,
        },
        Err(error) => Outcome::Problem(Problem {
            file,
            line: error.line,
            column: error.column,
            message: error.message,
        }),
    }
}

/// Adds what a file gave to `sources`.
fn add(sources: &mut Sources, outcome: Outcome) {
    match outcome {
        Outcome::Parsed {
            id, file, source, ..
        } => match *source {
            Parsed::Film(s) => sources.films.push((id, file, s)),
            Parsed::Composer(s) => sources.composers.push((id, file, s)),
            Parsed::Term(s) => sources.terms.push((id, file, s)),
        },
        Outcome::Problem(problem) => sources.problems.push(problem),
        // Taken out of the cache before this.
        Outcome::Kept { .. } | Outcome::Skipped => {}
    }
}

fn parse(kind: Kind, text: &str) -> Result<Parsed, yaml::YamlError> {
    Ok(match kind {
        Kind::Film => Parsed::Film(yaml::parse(text)?),
        Kind::Composer => Parsed::Composer(yaml::parse(text)?),
        Kind::Term => Parsed::Term(yaml::parse(text)?),
    })
}

/// Parses one entry file's `text` into `sources` (or a problem).
pub fn add_file(sources: &mut Sources, kind: Kind, id: String, file: PathBuf, text: &str) {
    add(sources, parsed(kind, id, file, text));
}
