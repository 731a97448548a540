//! Parsed entry files kept between runs, so that a file that has not changed since it was last
//! parsed is not parsed again. Parsing YAML is nearly all of loading a large knowledge base
//! (about 3 s of one core for 100,000 entries); reading the kept copy back is a fraction of that,
//! and a reload after one file changed parses that file alone.
//!
//! The cache is disposable. When it is missing, unreadable, damaged or written by another build
//! of the knowledge format, every file is parsed as if there were none, and a new one is written.
//! A file is taken from it only when its size, modification and change times and inode are the
//! ones it had when parsed, and a file changed in the last [`SETTLE`] is not kept at all: a second
//! write in the same tick of the file system's clock would leave those unchanged.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::source::{ComposerSource, FilmSource, TermSource};

/// How long after its last change a file must have stayed untouched to be kept.
pub const SETTLE: Duration = Duration::from_secs(2);

/// Raise when the cache's own layout changes; the knowledge format's changes are caught by
/// [`key`] without it.
const LAYOUT: u32 = 1;

/// A parsed entry file.
#[derive(Debug, Deserialize)]
pub(super) enum Parsed {
    Film(FilmSource),
    Composer(ComposerSource),
    Term(TermSource),
}

/// The same, borrowed, to write without copying.
#[derive(Serialize)]
pub(super) enum ParsedRef<'a> {
    Film(&'a FilmSource),
    Composer(&'a ComposerSource),
    Term(&'a TermSource),
}

/// What tells one version of a file from another without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Stamp {
    len: u64,
    modified: (i64, i64),
    changed: (i64, i64),
    inode: u64,
}

impl Stamp {
    /// The stamp of the file `metadata` describes.
    #[cfg(unix)]
    pub(super) fn of(metadata: &std::fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            len: metadata.len(),
            modified: (metadata.mtime(), metadata.mtime_nsec()),
            changed: (metadata.ctime(), metadata.ctime_nsec()),
            inode: metadata.ino(),
        }
    }

    /// The stamp of the file `metadata` describes.
    #[cfg(not(unix))]
    pub(super) fn of(metadata: &std::fs::Metadata) -> Stamp {
        let since_epoch = |time: std::io::Result<SystemTime>| {
            time.ok()
                .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or((0, 0), |d| {
                    (d.as_secs() as i64, i64::from(d.subsec_nanos()))
                })
        };
        let modified = since_epoch(metadata.modified());
        Stamp {
            len: metadata.len(),
            modified,
            changed: modified,
            inode: 0,
        }
    }

    /// Whether the file was last changed at least [`SETTLE`] before `now`.
    fn settled(&self, now: SystemTime) -> bool {
        let latest = self.modified.max(self.changed);
        let Ok(now) = now.duration_since(SystemTime::UNIX_EPOCH) else {
            return false;
        };
        let Ok(latest_secs) = u64::try_from(latest.0) else {
            return false;
        };
        let latest = Duration::new(latest_secs, u32::try_from(latest.1).unwrap_or(0));
        now.checked_sub(latest).is_some_and(|age| age >= SETTLE)
    }
}

/// One kept file: its path in the knowledge directory (`films/psycho.yaml`), its stamp, and
/// what it parsed into.
#[derive(Serialize, Deserialize)]
struct Record<P> {
    path: String,
    stamp: Stamp,
    entry: P,
}

/// The cache as read: parsed files, found by their path in the knowledge directory.
#[derive(Default)]
pub(super) struct Kept {
    /// Each kept file's slot in `files`, by its path.
    slots: HashMap<String, usize>,
    /// Each kept file's stamp, and what it parsed into until it is taken.
    files: Vec<(Stamp, Option<Parsed>)>,
    taken: usize,
}

impl Kept {
    /// Reads the cache at `file`; empty when there is none or it cannot be used.
    pub(super) fn read(file: &Path) -> Kept {
        let Ok(bytes) = std::fs::read(file) else {
            return Kept::default();
        };
        let mut decoder = rmp_serde::Deserializer::from_read_ref(&bytes);
        match String::deserialize(&mut decoder) {
            Ok(found) if found == key() => {}
            _ => return Kept::default(),
        }
        let Ok(records) = Vec::<Record<Parsed>>::deserialize(&mut decoder) else {
            return Kept::default();
        };
        let mut kept = Kept {
            slots: HashMap::with_capacity(records.len()),
            files: Vec::with_capacity(records.len()),
            taken: 0,
        };
        for record in records {
            kept.slots.insert(record.path, kept.files.len());
            kept.files.push((record.stamp, Some(record.entry)));
        }
        kept
    }

    /// The slot of the file at `path` (in the knowledge directory), if it is kept with this
    /// `stamp`.
    pub(super) fn find(&self, path: &str, stamp: &Stamp) -> Option<usize> {
        let &slot = self.slots.get(path)?;
        (self.files[slot].0 == *stamp).then_some(slot)
    }

    /// Takes the kept file in `slot` (from [`Kept::find`]) out of the cache.
    ///
    /// # Panics
    /// If it was taken before: a slot is one path, and a path is one file of the directory.
    pub(super) fn take(&mut self, slot: usize) -> Parsed {
        let parsed = self.files[slot]
            .1
            .take()
            .expect("each kept file is taken once");
        self.taken += 1;
        parsed
    }

    /// How many kept files were not taken (files since deleted or changed).
    pub(super) fn left(&self) -> usize {
        self.files.len() - self.taken
    }
}

/// Writes the cache at `file`: `entries` are (path in the knowledge directory, stamp, parsed),
/// and those changed too recently to trust their stamp are left out. Written whole or not at
/// all, so a crash while writing leaves the previous cache.
pub(super) fn write<'a>(
    file: &Path,
    entries: impl Iterator<Item = (String, Stamp, ParsedRef<'a>)>,
    now: SystemTime,
) -> std::io::Result<()> {
    let records: Vec<Record<ParsedRef<'a>>> = entries
        .filter(|(_, stamp, _)| stamp.settled(now))
        .map(|(path, stamp, entry)| Record { path, stamp, entry })
        .collect();
    let invalid = std::io::Error::other::<rmp_serde::encode::Error>;
    let mut bytes = rmp_serde::to_vec(&key()).map_err(invalid)?;
    // Fields by name: the sources leave out empty optional fields when written.
    records
        .serialize(&mut rmp_serde::Serializer::new(&mut bytes).with_struct_map())
        .map_err(invalid)?;
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut out = atomic_write_file::AtomicWriteFile::open(file)?;
    std::io::Write::write_all(&mut out, &bytes)?;
    out.commit()
}

/// What a cache must have been written with to be read: this layout, this version of the
/// program, and the knowledge format as its schemas describe it (any change to a field changes
/// them).
fn key() -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    for (name, schema) in super::schema::schemas() {
        name.hash(&mut hasher);
        schema.hash(&mut hasher);
    }
    format!(
        "leitmotif {} parsed knowledge, layout {LAYOUT}, format {:016x}",
        env!("CARGO_PKG_VERSION"),
        hasher.finish()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp_at(secs: i64) -> Stamp {
        Stamp {
            len: 1,
            modified: (secs, 0),
            changed: (secs, 0),
            inode: 1,
        }
    }

    #[test]
    fn a_file_changed_moments_ago_is_not_settled() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        assert!(stamp_at(990).settled(now));
        assert!(stamp_at(998).settled(now));
        assert!(!stamp_at(999).settled(now));
        assert!(!stamp_at(1_000).settled(now));
        // A clock set back makes every file look new: parse rather than trust.
        assert!(!stamp_at(2_000).settled(now));
    }

    #[test]
    fn the_key_is_the_same_twice_and_names_the_version() {
        assert_eq!(key(), key());
        assert!(key().contains(env!("CARGO_PKG_VERSION")));
    }
}
