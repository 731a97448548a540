//! Turning what a moderator typed into knowledge entries, and applying a change to a server's
//! file. The result is checked as a whole afterwards (see [`super::Curator::apply`]); here only
//! what the typed form itself gets wrong is refused.

use super::store::{Action, Entries, Event, GuildFile};
use super::{Actor, Applied, Change, CurationError, MAX_IMPORT_BYTES};
use crate::knowledge::source::{
    ComposerSource, FilmSource, Located, MusicKind, SongSource, TermSource, WorkSource,
};
use crate::knowledge::{self, Kind, Knowledge, LATEST_YEAR, Match, Resolution, Sources};
use crate::text;

/// A film as typed in `/kb add-film` or its edit form.
#[derive(Debug, Clone, Default)]
pub struct FilmInput {
    /// Title.
    pub title: String,
    /// Release year.
    pub year: i64,
    /// Composers' names, comma-separated; names the knowledge lacks become new composers.
    pub composers: String,
    /// What the music is like.
    pub summary: String,
    /// Directors, comma-separated.
    pub directors: Option<String>,
    /// Other names, comma-separated.
    pub aliases: Option<String>,
    /// Songs as "Title - Performer", separated by semicolons.
    pub songs: Option<String>,
    /// A URL supporting the entry.
    pub source: Option<String>,
}

/// A composer as typed in `/kb add-composer` or its edit form.
#[derive(Debug, Clone, Default)]
pub struct ComposerInput {
    /// Name.
    pub name: String,
    /// Year of birth.
    pub born: Option<i64>,
    /// Year of death.
    pub died: Option<i64>,
    /// Who they are.
    pub bio: String,
    /// Notable scores of films without entries, as "Title (Year)", comma-separated.
    pub scores: Option<String>,
    /// Other names, comma-separated.
    pub aliases: Option<String>,
    /// A URL supporting the entry.
    pub source: Option<String>,
}

/// A term as typed in `/kb add-term` or its edit form.
#[derive(Debug, Clone, Default)]
pub struct TermInput {
    /// The term.
    pub term: String,
    /// What it means.
    pub definition: String,
    /// Other names, comma-separated.
    pub aliases: Option<String>,
    /// A URL supporting the entry.
    pub source: Option<String>,
}

/// An id made from a name: folded, words joined by hyphens, at most 64 characters.
pub fn slug(name: &str) -> String {
    let folded = text::fold(name).replace(' ', "-");
    let mut id: String = folded.chars().take(knowledge::MAX_ID_LEN).collect();
    while id.ends_with('-') {
        id.pop();
    }
    if id.is_empty() { "entry".into() } else { id }
}

fn invalid(message: impl Into<String>) -> CurationError {
    CurationError::Invalid(vec![message.into()])
}

fn list(text: &Option<String>) -> Vec<String> {
    text.as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn texts(items: Vec<String>) -> Vec<Located<String>> {
    items.into_iter().map(Located::new).collect()
}

fn year(value: i64, field: &str, earliest: u16) -> Result<Located<u16>, CurationError> {
    u16::try_from(value)
        .ok()
        .filter(|y| (earliest..=LATEST_YEAR).contains(y))
        .map(Located::new)
        .ok_or_else(|| {
            invalid(format!(
                "{field} must be a year from {earliest} to {LATEST_YEAR}"
            ))
        })
}

fn sources(source: &Option<String>) -> Vec<Located<String>> {
    source
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| Located::new(s.to_string()))
        .collect()
}

/// An id for a new entry named `name` that no entry has yet.
fn fresh_id(name: &str, year: Option<u16>, taken: &dyn Fn(&str) -> bool) -> String {
    let base = slug(name);
    if !taken(&base) {
        return base;
    }
    if let Some(year) = year {
        let with_year = format!("{base}-{year}");
        if !taken(&with_year) {
            return with_year;
        }
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or(base)
}

fn event(actor: &Actor, action: Action, id: &str) -> Event {
    Event {
        at: super::now(),
        by: actor.id,
        by_name: actor.name.clone(),
        action,
        id: id.to_string(),
        film: None,
        composer: None,
        term: None,
    }
}

/// Applies `change` to `file`; `knowledge` is what the server sees now.
pub fn apply(
    file: &mut GuildFile,
    knowledge: &Knowledge,
    shipped: &Sources,
    actor: &Actor,
    change: Change,
) -> Result<Applied, CurationError> {
    let in_file = |file: &GuildFile, id: &str| {
        file.films.contains_key(id)
            || file.composers.contains_key(id)
            || file.terms.contains_key(id)
    };
    match change {
        Change::AddFilm(input) => {
            let year = year(input.year, "year", 1888)?;
            let snapshot = file.clone();
            let taken = |id: &str| knowledge.by_id(id).is_some() || in_file(&snapshot, id);
            let id = fresh_id(&input.title, Some(year.value), &taken);
            let (composers, created) = composers_of(file, knowledge, &input, &id)?;
            let film = film_source(&input, year, composers, None);
            let mut summary = format!(
                "Added the film “{}” ({}) for this server, as `{id}`.",
                input.title.trim(),
                input.year
            );
            for (composer_id, composer) in created {
                summary.push_str(&format!(
                    " Also added the composer “{}” (`{composer_id}`).",
                    composer.name.value
                ));
                let mut e = event(actor, Action::Add, &composer_id);
                e.composer = Some(composer.clone());
                file.history.push(e);
                file.composers.insert(composer_id, composer);
            }
            let mut e = event(actor, Action::Add, &id);
            e.film = Some(film.clone());
            file.history.push(e);
            file.films.insert(id.clone(), film);
            Ok(Applied {
                summary,
                id: Some(id),
            })
        }
        Change::AddComposer(input) => {
            let snapshot = file.clone();
            let taken = |id: &str| knowledge.by_id(id).is_some() || in_file(&snapshot, id);
            let id = fresh_id(&input.name, None, &taken);
            let composer = composer_source(&input)?;
            let mut e = event(actor, Action::Add, &id);
            e.composer = Some(composer.clone());
            file.history.push(e);
            file.composers.insert(id.clone(), composer);
            Ok(Applied {
                summary: format!(
                    "Added the composer “{}” for this server, as `{id}`.",
                    input.name.trim()
                ),
                id: Some(id),
            })
        }
        Change::AddTerm(input) => {
            let snapshot = file.clone();
            let taken = |id: &str| knowledge.by_id(id).is_some() || in_file(&snapshot, id);
            let id = fresh_id(&input.term, None, &taken);
            let term = term_source(&input, None);
            let mut e = event(actor, Action::Add, &id);
            e.term = Some(term.clone());
            file.history.push(e);
            file.terms.insert(id.clone(), term);
            Ok(Applied {
                summary: format!(
                    "Added the term “{}” for this server, as `{id}`.",
                    input.term.trim()
                ),
                id: Some(id),
            })
        }
        Change::EditFilm(id, input) => {
            let existing = file
                .films
                .get(&id)
                .cloned()
                .or_else(|| {
                    shipped
                        .films
                        .iter()
                        .find(|(i, _, _)| *i == id)
                        .map(|(_, _, f)| f.clone())
                })
                .ok_or_else(|| CurationError::NotFound(format!("there is no film `{id}`")))?;
            let year = year(input.year, "year", 1888)?;
            let (composers, created) = composers_of(file, knowledge, &input, &id)?;
            let film = film_source(&input, year, composers, Some(existing));
            for (composer_id, composer) in created {
                let mut e = event(actor, Action::Add, &composer_id);
                e.composer = Some(composer.clone());
                file.history.push(e);
                file.composers.insert(composer_id, composer);
            }
            let mut e = event(actor, Action::Edit, &id);
            e.film = Some(film.clone());
            file.history.push(e);
            file.films.insert(id.clone(), film);
            Ok(Applied {
                summary: format!("Updated the film `{id}` for this server."),
                id: Some(id),
            })
        }
        Change::EditComposer(id, input) => {
            let existing = file
                .composers
                .get(&id)
                .cloned()
                .or_else(|| {
                    shipped
                        .composers
                        .iter()
                        .find(|(i, _, _)| *i == id)
                        .map(|(_, _, c)| c.clone())
                })
                .ok_or_else(|| CurationError::NotFound(format!("there is no composer `{id}`")))?;
            let mut composer = composer_source(&input)?;
            if input.scores.is_none() {
                composer.other_scores = existing.other_scores;
            }
            if input.source.is_none() {
                composer.sources = existing.sources;
            }
            if input.aliases.is_none() {
                composer.aliases = existing.aliases;
            }
            composer.awards = existing.awards;
            let mut e = event(actor, Action::Edit, &id);
            e.composer = Some(composer.clone());
            file.history.push(e);
            file.composers.insert(id.clone(), composer);
            Ok(Applied {
                summary: format!("Updated the composer `{id}` for this server."),
                id: Some(id),
            })
        }
        Change::EditTerm(id, input) => {
            let existing = file
                .terms
                .get(&id)
                .cloned()
                .or_else(|| {
                    shipped
                        .terms
                        .iter()
                        .find(|(i, _, _)| *i == id)
                        .map(|(_, _, t)| t.clone())
                })
                .ok_or_else(|| CurationError::NotFound(format!("there is no term `{id}`")))?;
            let term = term_source(&input, Some(existing));
            let mut e = event(actor, Action::Edit, &id);
            e.term = Some(term.clone());
            file.history.push(e);
            file.terms.insert(id.clone(), term);
            Ok(Applied {
                summary: format!("Updated the term `{id}` for this server."),
                id: Some(id),
            })
        }
        Change::Remove(id) => {
            let mut e = event(actor, Action::Remove, &id);
            if let Some(film) = file.films.remove(&id) {
                e.film = Some(film);
            } else if let Some(composer) = file.composers.remove(&id) {
                e.composer = Some(composer);
            } else if let Some(term) = file.terms.remove(&id) {
                e.term = Some(term);
            } else if knowledge.by_id(&id).is_some() {
                return Err(invalid(format!(
                    "`{id}` is part of the shipped knowledge: it cannot be removed, but /kb edit changes it for this server"
                )));
            } else {
                return Err(CurationError::NotFound(format!(
                    "this server has no entry `{id}`"
                )));
            }
            file.history.push(e);
            let shipped_again = knowledge::check_id(&id).is_ok()
                && (shipped.films.iter().any(|(i, _, _)| *i == id)
                    || shipped.composers.iter().any(|(i, _, _)| *i == id)
                    || shipped.terms.iter().any(|(i, _, _)| *i == id));
            let summary = if shipped_again {
                format!(
                    "Removed this server's version of `{id}`; the shipped one shows again. /kb restore brings it back."
                )
            } else {
                format!("Removed `{id}`. /kb restore brings it back.")
            };
            Ok(Applied {
                summary,
                id: Some(id),
            })
        }
        Change::Restore(id) => {
            if in_file(file, &id) {
                return Err(invalid(format!("`{id}` is there already")));
            }
            let removed = file
                .history
                .iter()
                .rev()
                .find(|e| e.id == id && e.action == Action::Remove)
                .cloned()
                .ok_or_else(|| {
                    CurationError::NotFound(format!("this server never removed an entry `{id}`"))
                })?;
            let mut e = event(actor, Action::Restore, &id);
            if let Some(film) = removed.film {
                e.film = Some(film.clone());
                file.films.insert(id.clone(), film);
            } else if let Some(composer) = removed.composer {
                e.composer = Some(composer.clone());
                file.composers.insert(id.clone(), composer);
            } else if let Some(term) = removed.term {
                e.term = Some(term.clone());
                file.terms.insert(id.clone(), term);
            }
            file.history.push(e);
            Ok(Applied {
                summary: format!("Restored `{id}`."),
                id: Some(id),
            })
        }
        Change::Import(text) => {
            if text.len() > MAX_IMPORT_BYTES {
                return Err(invalid(format!(
                    "the file is {} bytes; at most {MAX_IMPORT_BYTES}",
                    text.len()
                )));
            }
            let entries: Entries = knowledge::yaml::parse(&text).map_err(|e| {
                invalid(format!(
                    "line {}, column {}: {}",
                    e.line.max(1),
                    e.column.max(1),
                    e.message
                ))
            })?;
            let ids = entries
                .films
                .keys()
                .chain(entries.composers.keys())
                .chain(entries.terms.keys());
            let bad: Vec<String> = ids.filter_map(|id| knowledge::check_id(id).err()).collect();
            if !bad.is_empty() {
                return Err(CurationError::Invalid(bad));
            }
            let count = entries.films.len() + entries.composers.len() + entries.terms.len();
            if count == 0 {
                return Err(invalid("the file has no films, composers or terms"));
            }
            for (id, film) in entries.films {
                let mut e = event(actor, Action::Import, &id);
                e.film = Some(film.clone());
                file.history.push(e);
                file.films.insert(id, film);
            }
            for (id, composer) in entries.composers {
                let mut e = event(actor, Action::Import, &id);
                e.composer = Some(composer.clone());
                file.history.push(e);
                file.composers.insert(id, composer);
            }
            for (id, term) in entries.terms {
                let mut e = event(actor, Action::Import, &id);
                e.term = Some(term.clone());
                file.history.push(e);
                file.terms.insert(id, term);
            }
            Ok(Applied {
                summary: format!("Imported {count} entries."),
                id: None,
            })
        }
        Change::SetEditorRole(role) => {
            file.settings.editor_role = role;
            let summary = match role {
                Some(role) => format!(
                    "Members with the role <@&{role}> may now edit this server's knowledge."
                ),
                None => {
                    "Only members with Manage Server may now edit this server's knowledge.".into()
                }
            };
            Ok(Applied { summary, id: None })
        }
        Change::SetChatChannel(channel, on) => {
            let summary = if on {
                file.settings.chat_channels.insert(channel);
                format!(
                    "In <#{channel}> I now answer film-music questions I am sure about without being mentioned (this needs the Message Content intent)."
                )
            } else {
                file.settings.chat_channels.remove(&channel);
                format!("In <#{channel}> I now answer only when mentioned.")
            };
            Ok(Applied { summary, id: None })
        }
    }
}

/// Composers a change adds: (id, entry).
type NewComposers = Vec<(String, ComposerSource)>;

/// The ids of the composers named in `input`, adding those the knowledge lacks.
fn composers_of(
    file: &GuildFile,
    knowledge: &Knowledge,
    input: &FilmInput,
    film_id: &str,
) -> Result<(Vec<String>, NewComposers), CurationError> {
    let mut ids = Vec::new();
    let mut created: Vec<(String, ComposerSource)> = Vec::new();
    for name in list(&Some(input.composers.clone())) {
        if let Resolution::Found {
            entry,
            how: Match::Exact | Match::Words,
        } = knowledge.resolve(&name, &[Kind::Composer])
        {
            ids.push(knowledge.id(entry).to_string());
            continue;
        }
        if let Some((id, _)) = file
            .composers
            .iter()
            .find(|(_, c)| text::fold(&c.name.value) == text::fold(&name))
        {
            ids.push(id.clone());
            continue;
        }
        if let Some((id, _)) = created
            .iter()
            .find(|(_, c)| text::fold(&c.name.value) == text::fold(&name))
        {
            ids.push(id.clone());
            continue;
        }
        let taken = |id: &str| {
            knowledge.by_id(id).is_some()
                || file.composers.contains_key(id)
                || file.films.contains_key(id)
                || file.terms.contains_key(id)
                || id == film_id
                || created.iter().any(|(c, _)| c == id)
        };
        let id = fresh_id(&name, None, &taken);
        let composer = ComposerSource {
            name: Located::new(name.clone()),
            born: None,
            died: None,
            aliases: Vec::new(),
            bio: Located::new(format!(
                "Composer of {} ({}), added by this server.",
                input.title.trim(),
                input.year
            )),
            other_scores: Vec::new(),
            awards: Vec::new(),
            sources: Vec::new(),
        };
        ids.push(id.clone());
        created.push((id, composer));
    }
    Ok((ids, created))
}

fn film_source(
    input: &FilmInput,
    year: Located<u16>,
    composers: Vec<String>,
    existing: Option<FilmSource>,
) -> FilmSource {
    let songs: Option<Vec<SongSource>> = input.songs.as_ref().map(|songs| {
        songs
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|song| {
                let (title, performer) = song
                    .split_once(" - ")
                    .or_else(|| song.split_once(" — "))
                    .or_else(|| song.split_once(" by "))
                    .unwrap_or((song, "unknown"));
                SongSource {
                    title: Located::new(title.trim().to_string()),
                    performer: Located::new(performer.trim().to_string()),
                    writer: None,
                    note: None,
                }
            })
            .collect()
    });
    let music = match (
        composers.is_empty(),
        songs.as_ref().is_some_and(|s| !s.is_empty()),
    ) {
        (true, _) => MusicKind::CompiledSoundtrack,
        (false, true) => MusicKind::Both,
        (false, false) => {
            existing
                .as_ref()
                .map_or(MusicKind::OriginalScore, |e| match e.music.value {
                    MusicKind::CompiledSoundtrack => MusicKind::OriginalScore,
                    other => other,
                })
        }
    };
    let mut film = existing.unwrap_or_else(|| FilmSource {
        title: Located::new(String::new()),
        year: year.clone(),
        directors: Vec::new(),
        composers: Vec::new(),
        music: Located::new(music),
        summary: Located::new(String::new()),
        aliases: Vec::new(),
        cues: Vec::new(),
        songs: Vec::new(),
        album: None,
        awards: Vec::new(),
        sources: Vec::new(),
    });
    film.title = Located::new(input.title.trim().to_string());
    film.year = year;
    film.composers = texts(composers);
    film.music = Located::new(music);
    film.summary = Located::new(input.summary.trim().to_string());
    if input.directors.is_some() || film.directors.is_empty() {
        let directors = list(&input.directors);
        film.directors = texts(if directors.is_empty() {
            vec!["Unknown".to_string()]
        } else {
            directors
        });
    }
    if input.aliases.is_some() {
        film.aliases = texts(list(&input.aliases));
    }
    if let Some(songs) = songs {
        film.songs = songs;
    }
    let given = sources(&input.source);
    if !given.is_empty() {
        film.sources = given;
    }
    film
}

fn composer_source(input: &ComposerInput) -> Result<ComposerSource, CurationError> {
    let born = input.born.map(|b| year(b, "born", 1800)).transpose()?;
    let died = input.died.map(|d| year(d, "died", 1800)).transpose()?;
    let mut other_scores = Vec::new();
    for score in list(&input.scores) {
        let parsed = score
            .strip_suffix(')')
            .and_then(|s| s.rsplit_once('('))
            .and_then(|(title, year)| {
                year.trim()
                    .parse::<i64>()
                    .ok()
                    .map(|y| (title.trim().to_string(), y))
            });
        let Some((title, y)) = parsed else {
            return Err(invalid(format!(
                "write each score as “Title (Year)”: “{score}” has no year"
            )));
        };
        other_scores.push(WorkSource {
            title: Located::new(title),
            year: year(y, "a score's year", 1888)?,
        });
    }
    Ok(ComposerSource {
        name: Located::new(input.name.trim().to_string()),
        born,
        died,
        aliases: texts(list(&input.aliases)),
        bio: Located::new(input.bio.trim().to_string()),
        other_scores,
        awards: Vec::new(),
        sources: sources(&input.source),
    })
}

fn term_source(input: &TermInput, existing: Option<TermSource>) -> TermSource {
    let mut term = existing.unwrap_or_else(|| TermSource {
        term: Located::new(String::new()),
        aliases: Vec::new(),
        definition: Located::new(String::new()),
        related: Vec::new(),
        examples: Vec::new(),
        distinctions: Default::default(),
        sources: Vec::new(),
    });
    term.term = Located::new(input.term.trim().to_string());
    term.definition = Located::new(input.definition.trim().to_string());
    if input.aliases.is_some() {
        term.aliases = texts(list(&input.aliases));
    }
    let given = sources(&input.source);
    if !given.is_empty() {
        term.sources = given;
    }
    term
}
