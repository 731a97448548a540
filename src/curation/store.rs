//! A server's own knowledge on disk: one YAML file a server, `<data>/guilds/<id>/guild.yaml`,
//! written by the bot only, whole and atomically (temporary file, fsync, rename, fsync of the
//! directory), so a crash or a full disk leaves either the old file or the new one, never a mix.
//! Moving a server to another deployment is copying its directory.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::knowledge::source::{ComposerSource, FilmSource, TermSource};
use crate::knowledge::yaml;

/// Everything one server has curated.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GuildFile {
    /// Who may edit, besides members with Manage Server.
    #[serde(default)]
    pub settings: Settings,
    /// Films by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub films: BTreeMap<String, FilmSource>,
    /// Composers by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub composers: BTreeMap<String, ComposerSource>,
    /// Terms by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub terms: BTreeMap<String, TermSource>,
    /// Every change, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Event>,
}

/// A server's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// A role whose members may edit the server's knowledge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editor_role: Option<u64>,
    /// Channels where the bot answers questions it is sure about without being mentioned.
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub chat_channels: std::collections::BTreeSet<u64>,
}

/// The entries of an export or import file: the same shape as a server file, without settings
/// or history.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Entries {
    /// Films by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub films: BTreeMap<String, FilmSource>,
    /// Composers by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub composers: BTreeMap<String, ComposerSource>,
    /// Terms by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub terms: BTreeMap<String, TermSource>,
}

/// One change to a server's knowledge.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who: their user id.
    pub by: u64,
    /// Who: their name at the time.
    pub by_name: String,
    /// What was done.
    pub action: Action,
    /// The entry's id.
    pub id: String,
    /// The entry as it was after the change (before it, for a removal): a film, composer or term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub film: Option<FilmSource>,
    /// See `film`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub composer: Option<ComposerSource>,
    /// See `film`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<TermSource>,
}

/// What a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// A new entry.
    Add,
    /// A changed entry.
    Edit,
    /// A removed entry.
    Remove,
    /// A removed entry brought back.
    Restore,
    /// Added or replaced by an import.
    Import,
}

impl Action {
    /// How the action reads in a history line.
    pub fn verb(self) -> &'static str {
        match self {
            Action::Add => "added",
            Action::Edit => "edited",
            Action::Remove => "removed",
            Action::Restore => "restored",
            Action::Import => "imported",
        }
    }
}

/// Why a server file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file is not valid (hand-edited, or from a newer version).
    #[error("{file}:{line}:{column}: {message}", file = .file.display())]
    Invalid {
        /// The file.
        file: PathBuf,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What is wrong.
        message: String,
    },
    /// Reading or writing failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The data could not be turned into YAML.
    #[error("cannot write YAML: {0}")]
    Serialize(String),
    /// The shipped knowledge's sources, written out at start, could not be read back.
    #[error("cannot read back the shipped knowledge's sources: {0}")]
    ShippedSources(std::io::Error),
}

/// Where the bot keeps the shipped knowledge's parsed files between runs (see
/// [`crate::knowledge::read_dir_cached`]): disposable, rebuilt when missing.
pub fn knowledge_cache(data_dir: &Path) -> PathBuf {
    cache_dir(data_dir).join("knowledge.msgpack")
}

/// Where the bot keeps what it can make again: the parse cache, and the shipped sources it
/// merges servers' entries with (in a file without a name, see `shipped.rs`).
pub fn cache_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("cache")
}

/// Where a server's file is.
pub fn guild_file(data_dir: &Path, guild: u64) -> PathBuf {
    // A u64 cannot name anything outside the guilds directory.
    data_dir
        .join("guilds")
        .join(guild.to_string())
        .join("guild.yaml")
}

/// Reads a server's file; a missing file is an empty one.
pub fn read(path: &Path) -> Result<GuildFile, StoreError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(GuildFile::default());
        }
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    yaml::parse::<GuildFile>(&text).map_err(|e| StoreError::Invalid {
        file: path.to_path_buf(),
        line: e.line.max(1),
        column: e.column.max(1),
        message: e.message,
    })
}

/// Writes a server's file atomically and durably.
pub fn write(path: &Path, file: &GuildFile) -> Result<(), StoreError> {
    let mut text = String::from(
        "# This server's own knowledge, written by leitmotif. Change it with /kb, or with\n# /kb export, an edit, and /kb import.\n",
    );
    text.push_str(&yaml::write(file).map_err(StoreError::Serialize)?);
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut out = atomic_write_file::AtomicWriteFile::open(path).map_err(io)?;
    out.write_all(text.as_bytes()).map_err(io)?;
    // commit() syncs the file, renames it over the old one and syncs the directory.
    out.commit().map_err(io)
}

/// Removes what writes cut short by a crash left beside a server's file: the temporary copies
/// (`.guild.yaml.XXXXXX`) that were never renamed over it. Their changes were never acknowledged,
/// because a change is acknowledged only after its rename. Call it only while nothing writes.
/// Returns how many it removed.
pub fn remove_unfinished_writes(path: &Path) -> Result<usize, StoreError> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else {
        return Ok(0);
    };
    let prefix = format!(".{name}.");
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(source) => {
            return Err(StoreError::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    let mut removed = 0;
    for entry in entries.filter_map(Result::ok) {
        let unfinished = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(&prefix));
        if unfinished {
            let leftover = entry.path();
            std::fs::remove_file(&leftover).map_err(|source| StoreError::Io {
                path: leftover,
                source,
            })?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// The ids of the servers that have files under `data_dir`.
pub fn guilds(data_dir: &Path) -> Result<Vec<u64>, StoreError> {
    let dir = data_dir.join("guilds");
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(StoreError::Io { path: dir, source }),
    };
    let mut guilds: Vec<u64> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse().ok()))
        .collect();
    guilds.sort_unstable();
    Ok(guilds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_interrupted_copies_of_the_file_are_removed() {
        let data = tempfile::tempdir().expect("temp dir");
        let path = guild_file(data.path(), 7);
        write(&path, &GuildFile::default()).expect("write");
        let dir = path.parent().expect("guild dir");
        for name in [
            ".guild.yaml.a1B2c3",
            ".guild.yaml.zzzzzz",
            "notes.txt",
            ".other.yaml.a1B2c3",
        ] {
            std::fs::write(dir.join(name), "x").expect("plant");
        }
        assert_eq!(remove_unfinished_writes(&path).expect("removes"), 2);
        let mut left: Vec<_> = std::fs::read_dir(dir)
            .expect("dir")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".other.yaml.a1B2c3", "guild.yaml", "notes.txt"]);
        assert_eq!(
            remove_unfinished_writes(&data.path().join("guilds/8/guild.yaml")).expect("no dir"),
            0
        );
    }
}
