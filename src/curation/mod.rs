//! Server moderators' own knowledge: films, composers and terms a server adds, or shipped
//! entries it corrects, seen only in that server. Every change is checked as a whole (the same
//! checks as the shipped knowledge), written to disk before it is acknowledged, recorded with who
//! made it and when, and can be undone by restoring. Nothing here knows about Discord.

mod input;
mod shipped;
pub mod store;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use rustc_hash::FxHashMap;

pub use input::{ComposerInput, FilmInput, TermInput, slug};
pub use store::{Action, Entries, Event, GuildFile, Settings, StoreError};

use crate::knowledge::source::{ComposerSource, FilmSource, TermSource};
use crate::knowledge::{self, Kind, Knowledge, Problem, Sources};
use shipped::ShippedSources;

/// The most entries one server may have: keeps one server from growing the bot without bound.
pub const MAX_ENTRIES: usize = 1000;
/// The most history events kept for one server (the oldest go first).
pub const MAX_HISTORY: usize = 5000;
/// The largest import accepted, in bytes.
pub const MAX_IMPORT_BYTES: usize = 512 * 1024;

/// Who made a change.
#[derive(Debug, Clone)]
pub struct Actor {
    /// Their user id.
    pub id: u64,
    /// Their name.
    pub name: String,
}

/// A change a moderator asks for.
#[derive(Debug, Clone)]
pub enum Change {
    /// Add a film (composers named but unknown are added too).
    AddFilm(FilmInput),
    /// Add a composer.
    AddComposer(ComposerInput),
    /// Add a term.
    AddTerm(TermInput),
    /// Replace a film (a server entry, or a shipped one for this server) with this.
    EditFilm(String, FilmInput),
    /// Replace a composer.
    EditComposer(String, ComposerInput),
    /// Replace a term.
    EditTerm(String, TermInput),
    /// Remove one of the server's entries.
    Remove(String),
    /// Bring back a removed entry.
    Restore(String),
    /// Add or replace every entry in a YAML document (all or nothing).
    Import(String),
    /// Set or clear the role whose members may edit.
    SetEditorRole(Option<u64>),
    /// Turn answering unasked questions in a channel on or off.
    SetChatChannel(u64, bool),
}

/// What a change did, for the moderator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// A sentence saying what changed.
    pub summary: String,
    /// The id of the entry changed (for a single-entry change).
    pub id: Option<String>,
}

/// Why a change was not made. Nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum CurationError {
    /// The change would make the knowledge invalid; these say why.
    #[error("{}", .0.join("\n"))]
    Invalid(Vec<String>),
    /// No such entry.
    #[error("{0}")]
    NotFound(String),
    /// The server's file on disk is damaged; changes wait until it is fixed.
    #[error("this server's knowledge file is damaged, so changes are paused to lose nothing: {0}")]
    Damaged(String),
    /// Writing failed (a full disk, for example).
    #[error("could not save the change, so nothing changed: {0}")]
    Storage(#[from] StoreError),
}

/// One entry's source, of whichever kind.
#[derive(Debug, Clone)]
pub enum EntrySource {
    /// A film.
    Film(FilmSource),
    /// A composer.
    Composer(ComposerSource),
    /// A term.
    Term(TermSource),
}

struct Shipped {
    sources: ShippedSources,
    knowledge: Arc<Knowledge>,
}

struct GuildView {
    file: GuildFile,
    knowledge: Arc<Knowledge>,
    damaged: Option<String>,
}

#[derive(Default)]
struct GuildSlot {
    /// Changes to one server are made one at a time.
    write: Mutex<()>,
    view: RwLock<Option<GuildView>>,
}

/// The shipped knowledge and every server's own, each server seeing both.
pub struct Curator {
    data_dir: PathBuf,
    shipped: RwLock<Arc<Shipped>>,
    guilds: RwLock<FxHashMap<u64, Arc<GuildSlot>>>,
}

impl std::fmt::Debug for Curator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Curator")
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

impl Curator {
    /// Serves `shipped` (read from the knowledge directory) and the servers' files under
    /// `data_dir`. A server file that cannot be used is reported in the returned problems; that
    /// server is served the shipped knowledge and its changes wait until the file is fixed.
    pub fn open(data_dir: &Path, shipped: Sources) -> Result<(Curator, Vec<String>), Vec<Problem>> {
        let knowledge = Arc::new(knowledge::build_from(&shipped)?);
        let curator = Curator {
            data_dir: data_dir.to_path_buf(),
            shipped: RwLock::new(Arc::new(Shipped {
                sources: ShippedSources::new(shipped),
                knowledge,
            })),
            guilds: RwLock::new(FxHashMap::default()),
        };
        let mut problems = Vec::new();
        match store::guilds(data_dir) {
            Ok(guilds) => {
                for guild in guilds {
                    let path = store::guild_file(data_dir, guild);
                    match store::remove_unfinished_writes(&path) {
                        Ok(0) => {}
                        Ok(removed) => tracing::info!(
                            guild,
                            removed,
                            "removed temporary files of writes a crash interrupted"
                        ),
                        Err(error) => problems.push(error.to_string()),
                    }
                    if let Some(problem) = curator.load_guild(guild) {
                        problems.push(problem);
                    }
                }
            }
            Err(error) => problems.push(error.to_string()),
        }
        curator
            .shipped()
            .sources
            .write_out(&store::cache_dir(data_dir));
        Ok((curator, problems))
    }

    /// Where the servers' files are.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    fn shipped(&self) -> Arc<Shipped> {
        self.shipped
            .read()
            .map(|s| s.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    fn slot(&self, guild: u64) -> Arc<GuildSlot> {
        if let Some(slot) = self.guilds.read().ok().and_then(|g| g.get(&guild).cloned()) {
            return slot;
        }
        let mut guilds = self.guilds.write().unwrap_or_else(|p| p.into_inner());
        guilds.entry(guild).or_default().clone()
    }

    /// Reads a server's file into its view; returns a problem if it cannot be used.
    fn load_guild(&self, guild: u64) -> Option<String> {
        let slot = self.slot(guild);
        let path = store::guild_file(&self.data_dir, guild);
        let shipped = self.shipped();
        let view = match store::read(&path) {
            Ok(file) => match seen_by(&shipped.knowledge, || shipped.sources.get(), &file, &path) {
                Ok(knowledge) => GuildView {
                    file,
                    knowledge,
                    damaged: None,
                },
                Err(error) => GuildView {
                    file: GuildFile::default(),
                    knowledge: shipped.knowledge.clone(),
                    damaged: Some(error.to_string()),
                },
            },
            Err(error) => GuildView {
                file: GuildFile::default(),
                knowledge: shipped.knowledge.clone(),
                damaged: Some(error.to_string()),
            },
        };
        let problem = view.damaged.clone();
        *slot.view.write().unwrap_or_else(|p| p.into_inner()) = Some(view);
        problem
    }

    /// The knowledge as seen in `guild` (the shipped knowledge outside servers, or for servers
    /// without entries of their own).
    pub fn knowledge(&self, guild: Option<u64>) -> Arc<Knowledge> {
        let slot =
            guild.and_then(|guild| self.guilds.read().ok().and_then(|g| g.get(&guild).cloned()));
        if let Some(slot) = slot
            && let Some(view) = slot.view.read().ok().as_ref().and_then(|v| v.as_ref())
        {
            return view.knowledge.clone();
        }
        self.shipped().knowledge.clone()
    }

    /// Replaces the shipped knowledge (after it was edited on disk) and rebuilds every server's
    /// view on it. A server whose entries no longer fit keeps its previous view.
    pub fn replace_shipped(&self, sources: Sources) -> Result<(), Vec<Problem>> {
        let knowledge = Arc::new(knowledge::build_from(&sources)?);
        let sources = Arc::new(sources);
        let shipped = Arc::new(Shipped {
            sources: ShippedSources::shared(sources.clone()),
            knowledge,
        });
        let previous = std::mem::replace(
            &mut *self.shipped.write().unwrap_or_else(|p| p.into_inner()),
            shipped.clone(),
        );
        // What the views held before, freed together once all are rebuilt, outside their locks.
        let mut replaced: Vec<Arc<Knowledge>> = Vec::new();
        let slots: Vec<(u64, Arc<GuildSlot>)> = self
            .guilds
            .read()
            .map(|g| g.iter().map(|(k, v)| (*k, v.clone())).collect())
            .unwrap_or_default();
        for (guild, slot) in slots {
            let _write = slot.write.lock().unwrap_or_else(|p| p.into_inner());
            let mut view = slot.view.write().unwrap_or_else(|p| p.into_inner());
            if let Some(view) = view.as_mut().filter(|v| v.damaged.is_none()) {
                let path = store::guild_file(&self.data_dir, guild);
                match seen_by(
                    &shipped.knowledge,
                    || Ok(sources.clone()),
                    &view.file,
                    &path,
                ) {
                    Ok(knowledge) => {
                        replaced.push(std::mem::replace(&mut view.knowledge, knowledge))
                    }
                    Err(error) => tracing::warn!(
                        guild,
                        "the server's entries do not fit the new shipped knowledge; it keeps the previous: {error}"
                    ),
                }
            }
        }
        drop(sources);
        knowledge::release(Some((previous, replaced)));
        shipped.sources.write_out(&store::cache_dir(&self.data_dir));
        Ok(())
    }

    /// Whether a moderator turned on answering unasked questions in `channel`. Cheap: it is
    /// asked for chat messages in servers whose messages the bot can read.
    pub fn chat_enabled(&self, guild: u64, channel: u64) -> bool {
        self.read_view(guild, |v| v.file.settings.chat_channels.contains(&channel))
            .unwrap_or(false)
    }

    /// The server's settings.
    pub fn settings(&self, guild: u64) -> Settings {
        self.read_view(guild, |v| v.file.settings.clone())
            .unwrap_or_default()
    }

    /// The server's own entries: (kind, id, label).
    pub fn entries(&self, guild: u64) -> Vec<(Kind, String, String)> {
        self.read_view(guild, |v| {
            let mut list = Vec::new();
            for (id, film) in &v.file.films {
                list.push((
                    Kind::Film,
                    id.clone(),
                    crate::text::titled(&film.title.value, film.year.value),
                ));
            }
            for (id, composer) in &v.file.composers {
                list.push((Kind::Composer, id.clone(), composer.name.value.clone()));
            }
            for (id, term) in &v.file.terms {
                list.push((Kind::Term, id.clone(), term.term.value.clone()));
            }
            list
        })
        .unwrap_or_default()
    }

    /// The changes made to an entry in this server, oldest first.
    pub fn history(&self, guild: u64, id: &str) -> Vec<Event> {
        self.read_view(guild, |v| {
            v.file
                .history
                .iter()
                .filter(|e| e.id == id)
                .cloned()
                .collect()
        })
        .unwrap_or_default()
    }

    /// An entry's source as this server sees it (its own version, or the shipped one), and
    /// whether it is the server's own. Blocking (a shipped entry's is read from disk): call it
    /// off the async runtime.
    pub fn source(
        &self,
        guild: u64,
        id: &str,
    ) -> Result<Option<(EntrySource, bool)>, CurationError> {
        let own = self
            .read_view(guild, |v| {
                v.file
                    .films
                    .get(id)
                    .map(|f| EntrySource::Film(f.clone()))
                    .or_else(|| {
                        v.file
                            .composers
                            .get(id)
                            .map(|c| EntrySource::Composer(c.clone()))
                    })
                    .or_else(|| v.file.terms.get(id).map(|t| EntrySource::Term(t.clone())))
            })
            .flatten();
        if let Some(own) = own {
            return Ok(Some((own, true)));
        }
        let shipped = self.shipped();
        let Some(entry) = shipped.knowledge.by_id(id) else {
            return Ok(None);
        };
        let s = shipped.sources.get()?;
        let source = match entry.kind {
            Kind::Film => s
                .films
                .iter()
                .find(|(i, _, _)| i == id)
                .map(|(_, _, f)| EntrySource::Film(f.clone())),
            Kind::Composer => s
                .composers
                .iter()
                .find(|(i, _, _)| i == id)
                .map(|(_, _, c)| EntrySource::Composer(c.clone())),
            Kind::Term => s
                .terms
                .iter()
                .find(|(i, _, _)| i == id)
                .map(|(_, _, t)| EntrySource::Term(t.clone())),
        };
        Ok(source.map(|source| (source, false)))
    }

    /// The server's entries as YAML, in the format `Import` takes.
    pub fn export(&self, guild: u64) -> Result<String, CurationError> {
        let entries = self
            .read_view(guild, |v| Entries {
                films: v.file.films.clone(),
                composers: v.file.composers.clone(),
                terms: v.file.terms.clone(),
            })
            .unwrap_or_default();
        let mut text =
            String::from("# leitmotif server knowledge export: edit and /kb import it back.\n");
        text.push_str(
            &knowledge::yaml::write(&entries)
                .map_err(|e| CurationError::Storage(StoreError::Serialize(e)))?,
        );
        Ok(text)
    }

    fn read_view<T>(&self, guild: u64, read: impl FnOnce(&GuildView) -> T) -> Option<T> {
        let slot = self.guilds.read().ok()?.get(&guild)?.clone();
        let view = slot.view.read().ok()?;
        view.as_ref().map(read)
    }

    /// Makes a change to a server's knowledge: checks it, writes it, then serves it. Blocking
    /// (it writes and syncs a file): call it off the async runtime.
    pub fn apply(
        &self,
        guild: u64,
        actor: &Actor,
        change: Change,
    ) -> Result<Applied, CurationError> {
        let slot = self.slot(guild);
        let _write = slot.write.lock().unwrap_or_else(|p| p.into_inner());
        let path = store::guild_file(&self.data_dir, guild);
        let current = {
            let view = slot.view.read().unwrap_or_else(|p| p.into_inner());
            match view.as_ref() {
                Some(view) if view.damaged.is_some() => {
                    return Err(CurationError::Damaged(
                        view.damaged.clone().unwrap_or_default(),
                    ));
                }
                Some(view) => view.file.clone(),
                None => GuildFile::default(),
            }
        };
        let shipped = self.shipped();
        // Settings leave the entries, and so the knowledge, as they are.
        let settings_only = matches!(
            change,
            Change::SetEditorRole(_) | Change::SetChatChannel(..)
        );
        let sources = if settings_only {
            None
        } else {
            Some(shipped.sources.get()?)
        };
        let mut file = current.clone();
        let before = self.knowledge(Some(guild));
        let applied = input::apply(
            &mut file,
            &before,
            sources.as_deref().unwrap_or(&Sources::default()),
            actor,
            change,
        )?;
        let count = file.films.len() + file.composers.len() + file.terms.len();
        if count > MAX_ENTRIES
            && count > current.films.len() + current.composers.len() + current.terms.len()
        {
            return Err(CurationError::Invalid(vec![format!(
                "this server already has {MAX_ENTRIES} entries, the most it may have"
            )]));
        }
        if file.history.len() > MAX_HISTORY {
            let excess = file.history.len() - MAX_HISTORY;
            file.history.drain(..excess);
        }
        let knowledge = match sources {
            None => before,
            Some(sources) => {
                // Not held while the new one is built: at 100,000 entries it is 160 MB.
                drop(before);
                seen_by(&shipped.knowledge, || Ok(sources), &file, &path).map_err(|error| {
                    match error {
                        Unbuilt::Sources(error) => CurationError::Storage(error),
                        Unbuilt::Invalid(problems) => CurationError::Invalid(
                            problems.iter().map(|p| user_message(p, &path)).collect(),
                        ),
                    }
                })?
            }
        };
        store::write(&path, &file)?;
        let previous = slot
            .view
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .replace(GuildView {
                file,
                knowledge,
                damaged: None,
            });
        // Outside the lock: at 100,000 entries a server's knowledge is 160 MB to free.
        knowledge::release(previous);
        Ok(applied)
    }
}

/// Why a server's knowledge could not be built.
#[derive(Debug, thiserror::Error)]
enum Unbuilt {
    /// The shipped sources could not be read back.
    #[error("{0}")]
    Sources(StoreError),
    /// The server's entries do not fit the shipped knowledge.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Problem>),
}

/// The knowledge a server with `file` sees: the shipped knowledge itself while the server has
/// no entries of its own (its file may hold settings only), not a copy of it; else the shipped
/// knowledge with its entries merged in, from the shipped sources `sources` gives (asked for
/// only then: they may have to be read back from disk).
fn seen_by(
    shipped: &Arc<Knowledge>,
    sources: impl FnOnce() -> Result<Arc<Sources>, StoreError>,
    file: &GuildFile,
    path: &Path,
) -> Result<Arc<Knowledge>, Unbuilt> {
    if file.films.is_empty() && file.composers.is_empty() && file.terms.is_empty() {
        return Ok(shipped.clone());
    }
    let sources = sources().map_err(Unbuilt::Sources)?;
    merged(sources, file, path)
        .map(Arc::new)
        .map_err(Unbuilt::Invalid)
}

/// The shipped knowledge with a server's entries added, its versions of shipped entries
/// replacing them. The sources are copied only if someone else holds them too.
fn merged(shipped: Arc<Sources>, file: &GuildFile, path: &Path) -> Result<Knowledge, Vec<Problem>> {
    let mut sources = Arc::unwrap_or_clone(shipped);
    fn overlay<T: Clone>(
        list: &mut Vec<(String, PathBuf, T)>,
        own: &std::collections::BTreeMap<String, T>,
        path: &Path,
    ) {
        for (id, entry) in own {
            match list.iter_mut().find(|(i, _, _)| i == id) {
                Some(slot) => *slot = (id.clone(), path.to_path_buf(), entry.clone()),
                None => list.push((id.clone(), path.to_path_buf(), entry.clone())),
            }
        }
    }
    overlay(&mut sources.films, &file.films, path);
    overlay(&mut sources.composers, &file.composers, path);
    overlay(&mut sources.terms, &file.terms, path);
    sources.from_server.extend(file.films.keys().cloned());
    sources.from_server.extend(file.composers.keys().cloned());
    sources.from_server.extend(file.terms.keys().cloned());
    knowledge::build(sources)
}

/// A problem as a moderator should read it: without the server file's path.
fn user_message(problem: &Problem, path: &Path) -> String {
    if problem.file == path && problem.line > 0 {
        format!("line {}: {}", problem.line, problem.message)
    } else {
        problem.message.clone()
    }
}

/// The current time, for history (RFC 3339, UTC).
pub fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "unknown".into())
}
