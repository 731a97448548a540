//! Checking knowledge sources and turning them into [`Knowledge`]: every rule in
//! `knowledge/README.md` is enforced here, and every problem found is reported, not just the first.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use super::entry::{Award, Composer, Cue, Film, Song, Term, Work};
use super::index::Index;
use super::load::Problem;
use super::source::{
    AwardSource, ComposerSource, FilmSource, Located, MusicKind, TermSource, Text,
};
use super::{EntryRef, Kind, Knowledge};
use crate::text;

/// Parsed but unchecked entries: (id, file, entry) for each kind, and the problems met reading them.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    /// Films.
    pub films: Vec<(String, PathBuf, FilmSource)>,
    /// Composers.
    pub composers: Vec<(String, PathBuf, ComposerSource)>,
    /// Terms.
    pub terms: Vec<(String, PathBuf, TermSource)>,
    /// Problems met while reading.
    pub problems: Vec<Problem>,
    /// Ids of entries a server's moderators wrote: they may leave out sources and a composer's
    /// birth year, which the reviewed knowledge must have.
    pub from_server: std::collections::HashSet<String>,
}

/// The latest year any date in the knowledge may have.
pub const LATEST_YEAR: u16 = 2030;
/// The longest id.
pub const MAX_ID_LEN: usize = 64;

/// Checks `sources` and builds the knowledge, or lists everything wrong with them.
pub fn build(sources: Sources) -> Result<Knowledge, Vec<Problem>> {
    let Sources {
        films,
        composers,
        terms,
        problems,
        from_server,
    } = sources;
    build_parts(
        Cow::Owned(films),
        Cow::Owned(composers),
        Cow::Owned(terms),
        problems,
        &from_server,
    )
}

/// Like [`build`], for sources the caller keeps (the bot keeps the shipped sources, to merge a
/// server's own entries with them): no copy of them is made.
pub fn build_from(sources: &Sources) -> Result<Knowledge, Vec<Problem>> {
    build_parts(
        Cow::Borrowed(&sources.films),
        Cow::Borrowed(&sources.composers),
        Cow::Borrowed(&sources.terms),
        sources.problems.clone(),
        &sources.from_server,
    )
}

fn build_parts(
    film_sources: Cow<'_, [(String, PathBuf, FilmSource)]>,
    composer_sources: Cow<'_, [(String, PathBuf, ComposerSource)]>,
    term_sources: Cow<'_, [(String, PathBuf, TermSource)]>,
    problems: Vec<Problem>,
    from_server: &HashSet<String>,
) -> Result<Knowledge, Vec<Problem>> {
    // Sources are read here, not consumed; those owned here are freed a kind at a time by
    // `release`. Dropping each one as its entry was built let the entries that followed take
    // its place, scattered among what the parser had left: at 100,000 entries most pages of the
    // heap then held a little knowledge and much free space, which could not be given back
    // (288 MB resident for about 160 MB of knowledge).
    let mut checker = Checker {
        problems,
        file: PathBuf::new(),
    };

    let file_of = |entry: EntryRef| -> &Path {
        let i = entry.index as usize;
        match entry.kind {
            Kind::Film => &film_sources[i].1,
            Kind::Composer => &composer_sources[i].1,
            Kind::Term => &term_sources[i].1,
        }
    };
    let mut ids: FxHashMap<String, EntryRef> = FxHashMap::with_capacity_and_hasher(
        film_sources.len() + composer_sources.len() + term_sources.len(),
        Default::default(),
    );
    let mut register = |checker: &mut Checker, id: &str, file: &Path, entry: EntryRef| {
        checker.file = file.to_path_buf();
        if let Err(message) = check_id(id) {
            checker.at_file(message);
        }
        if let Some(&other) = ids.get(id) {
            checker.at_file(format!(
                "duplicate id {id:?}: also {}",
                file_of(other).display()
            ));
        } else {
            ids.insert(id.to_string(), entry);
        }
    };
    for (i, (id, file, _)) in film_sources.iter().enumerate() {
        register(
            &mut checker,
            id,
            file,
            EntryRef {
                kind: Kind::Film,
                index: i as u32,
            },
        );
    }
    for (i, (id, file, _)) in composer_sources.iter().enumerate() {
        register(
            &mut checker,
            id,
            file,
            EntryRef {
                kind: Kind::Composer,
                index: i as u32,
            },
        );
    }
    for (i, (id, file, _)) in term_sources.iter().enumerate() {
        register(
            &mut checker,
            id,
            file,
            EntryRef {
                kind: Kind::Term,
                index: i as u32,
            },
        );
    }
    // Names are checked while the sources are all here, borrowing them: copies kept to the end
    // would leave holes among the entries once freed.
    check_unique_names(
        &mut checker,
        film_sources
            .iter()
            .map(|(id, file, s)| (id.as_str(), file.as_path(), &s.title, &s.aliases[..])),
    );
    check_unique_names(
        &mut checker,
        composer_sources
            .iter()
            .map(|(id, file, s)| (id.as_str(), file.as_path(), &s.name, &s.aliases[..])),
    );
    check_unique_names(
        &mut checker,
        term_sources
            .iter()
            .map(|(id, file, s)| (id.as_str(), file.as_path(), &s.term, &s.aliases[..])),
    );

    let resolve = |checker: &mut Checker, reference: &Text, kind: Kind| -> Option<u32> {
        match ids.get(reference.value.as_str()) {
            Some(entry) if entry.kind == kind => Some(entry.index),
            Some(entry) => {
                checker.at(
                    reference,
                    format!(
                        "{:?} is a {}, not a {}",
                        reference.value,
                        entry.kind.noun(),
                        kind.noun()
                    ),
                );
                None
            }
            None => {
                checker.at(
                    reference,
                    format!("no {} with id {:?}", kind.noun(), reference.value),
                );
                None
            }
        }
    };

    let mut films = Vec::with_capacity(film_sources.len());
    for (id, file, source) in film_sources.iter() {
        let (id, file) = (id.clone(), file.clone());
        checker.file = file;
        let c = &mut checker;
        c.text(&source.title, "title", 100);
        c.year(&source.year, "year", 1888);
        c.list_len(source.directors.len(), 1, 5, "directors", &source.title);
        for director in &source.directors {
            c.text(director, "director", 100);
        }
        if source.composers.is_empty() && source.music.value != MusicKind::CompiledSoundtrack {
            c.at(
                &source.music,
                "a film with an original score needs at least one composer".into(),
            );
        }
        let composers = source
            .composers
            .iter()
            .filter_map(|r| resolve(c, r, Kind::Composer))
            .collect::<Vec<_>>();
        c.text(&source.summary, "summary", 1200);
        c.aliases(&source.aliases, &source.title);
        c.list_len(source.cues.len(), 0, 25, "cues", &source.title);
        for cue in &source.cues {
            c.text(&cue.title, "cue title", 100);
            c.optional_text(&cue.note, "cue note", 300);
        }
        c.list_len(source.songs.len(), 0, 50, "songs", &source.title);
        for song in &source.songs {
            c.text(&song.title, "song title", 100);
            c.text(&song.performer, "performer", 100);
            c.optional_text(&song.writer, "writer", 100);
            c.optional_text(&song.note, "song note", 300);
        }
        c.optional_text(&source.album, "album", 150);
        c.list_len(source.awards.len(), 0, 25, "awards", &source.title);
        let mut awards = Vec::new();
        for award in &source.awards {
            c.award(award);
            let recipients = match &award.recipients {
                Some(list) => list
                    .iter()
                    .filter_map(|r| resolve(c, r, Kind::Composer))
                    .collect(),
                None => composers.clone(),
            };
            awards.push(award_from(award, recipients, None));
        }
        c.sources(&source.sources, &source.title, !from_server.contains(&id));
        films.push(Film {
            id,
            title: source.title.value.trim().to_string(),
            year: source.year.value,
            directors: values(&source.directors),
            composers,
            music: source.music.value,
            summary: clean(&source.summary.value),
            aliases: values(&source.aliases),
            cues: source
                .cues
                .iter()
                .map(|cue| Cue {
                    title: clean(&cue.title.value),
                    note: cue.note.as_ref().map(|n| clean(&n.value)),
                })
                .collect(),
            songs: source
                .songs
                .iter()
                .map(|song| Song {
                    title: clean(&song.title.value),
                    performer: clean(&song.performer.value),
                    writer: song.writer.as_ref().map(|w| clean(&w.value)),
                    note: song.note.as_ref().map(|n| clean(&n.value)),
                })
                .collect(),
            album: source.album.as_ref().map(|a| clean(&a.value)),
            awards,
            sources: values(&source.sources),
        });
    }

    // The films' sources are three quarters of all: free them before building the rest.
    release(owned(film_sources));

    // Who scored what, and who an award names, gathered in one pass over the films: asking each
    // composer's question of every film was quadratic (a minute at 100,000 entries).
    let mut scored_by: Vec<Vec<u32>> = vec![Vec::new(); composer_sources.len()];
    let mut awarded_by: Vec<Vec<u32>> = vec![Vec::new(); composer_sources.len()];
    for (f, film) in films.iter().enumerate() {
        let f = f as u32;
        for &composer in &film.composers {
            push_once(&mut scored_by[composer as usize], f);
        }
        for award in &film.awards {
            for &composer in &award.recipients {
                push_once(&mut awarded_by[composer as usize], f);
            }
        }
    }
    let mut composers = Vec::with_capacity(composer_sources.len());
    for ((id, file, source), (mut scored, awarded)) in composer_sources
        .iter()
        .zip(scored_by.into_iter().zip(awarded_by))
    {
        let (id, file) = (id.clone(), file.clone());
        checker.file = file;
        let c = &mut checker;
        check_composer(c, source, !from_server.contains(&id));
        let mut awards: Vec<Award> = source
            .awards
            .iter()
            .map(|a| award_from(a, Vec::new(), None))
            .collect();
        let index = composers.len() as u32;
        scored.sort_by(|&a, &b| {
            let (a, b) = (&films[a as usize], &films[b as usize]);
            (a.year, &a.title).cmp(&(b.year, &b.title))
        });
        // The films they scored first, then song awards, which can name a composer who is not
        // credited with the film's score.
        let unscored = awarded.iter().filter(|f| !scored.contains(f));
        for &f in scored.iter().chain(unscored) {
            for award in &films[f as usize].awards {
                if award.recipients.contains(&index) {
                    awards.push(Award {
                        film: Some(f),
                        ..award.clone()
                    });
                }
            }
        }
        awards.sort_by_key(|a| a.year);
        for work in &source.other_scores {
            let key = text::strip_article(&text::fold(&work.title.value)).to_string();
            if let Some(film) = scored.iter().map(|&f| &films[f as usize]).find(|film| {
                text::strip_article(&text::fold(&film.title)) == key && film.year == work.year.value
            }) {
                c.at(
                    &work.title,
                    format!(
                        "{:?} has an entry (films/{}.yaml) that lists this composer: remove it from other_scores",
                        work.title.value, film.id
                    ),
                );
            }
        }
        composers.push(Composer {
            id,
            name: source.name.value.trim().to_string(),
            born: source.born.as_ref().map(|b| b.value),
            died: source.died.as_ref().map(|d| d.value),
            aliases: values(&source.aliases),
            bio: clean(&source.bio.value),
            films: scored,
            other_scores: source
                .other_scores
                .iter()
                .map(|w| Work {
                    title: clean(&w.title.value),
                    year: w.year.value,
                })
                .collect(),
            awards,
            sources: values(&source.sources),
        });
    }

    let mut terms = Vec::with_capacity(term_sources.len());
    for (id, file, source) in term_sources.iter() {
        let (id, file) = (id.clone(), file.clone());
        checker.file = file;
        let c = &mut checker;
        c.text(&source.term, "term", 100);
        c.aliases(&source.aliases, &source.term);
        c.text(&source.definition, "definition", 1200);
        c.list_len(source.related.len(), 0, 10, "related", &source.term);
        c.list_len(source.examples.len(), 0, 10, "examples", &source.term);
        c.list_len(
            source.distinctions.len(),
            0,
            10,
            "distinctions",
            &source.term,
        );
        let related = source
            .related
            .iter()
            .filter_map(|r| resolve(c, r, Kind::Term))
            .collect();
        let examples = source
            .examples
            .iter()
            .filter_map(|r| resolve(c, r, Kind::Film))
            .collect();
        let mut distinctions = Vec::new();
        for (other, text) in &source.distinctions {
            c.text(text, "distinction", 600);
            let reference = Located {
                value: other.clone(),
                line: text.line,
                column: text.column,
            };
            if *other == id {
                c.at(text, "a term cannot be distinguished from itself".into());
            } else if let Some(t) = resolve(c, &reference, Kind::Term) {
                distinctions.push((t, clean(&text.value)));
            }
        }
        c.sources(&source.sources, &source.term, !from_server.contains(&id));
        terms.push(Term {
            id,
            term: source.term.value.trim().to_string(),
            aliases: values(&source.aliases),
            definition: clean(&source.definition.value),
            related,
            examples,
            distinctions,
            sources: values(&source.sources),
        });
    }
    // A distinction written on both terms would leave the bot two answers to choose from.
    for (a, term) in terms.iter().enumerate() {
        for (b, _) in &term.distinctions {
            let other = &terms[*b as usize];
            if (*b as usize) > a && other.distinctions.iter().any(|(x, _)| *x as usize == a) {
                checker.file = term_sources[a].1.clone();
                checker.at_file(format!(
                    "the distinction between {:?} and {:?} is written on both terms: keep one",
                    term.id, other.id
                ));
            }
        }
    }

    if !checker.problems.is_empty() {
        checker
            .problems
            .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        checker.problems.dedup();
        return Err(checker.problems);
    }
    let index = Index::build(&films, &composers, &terms);
    release(owned(composer_sources).zip(owned(term_sources)));
    Ok(Knowledge {
        films,
        composers,
        terms,
        ids,
        index,
    })
}

fn check_composer(c: &mut Checker, source: &ComposerSource, reviewed: bool) {
    if reviewed && source.born.is_none() {
        c.at(&source.name, "needs born (the year of birth)".into());
    }
    c.text(&source.name, "name", 100);
    if let Some(born) = &source.born {
        c.year(born, "born", 1800);
    }
    if let Some(died) = &source.died {
        c.year(died, "died", 1800);
        if let Some(born) = source.born.as_ref().filter(|born| died.value < born.value) {
            c.at(
                died,
                format!("died ({}) before born ({})", died.value, born.value),
            );
        }
    }
    c.aliases(&source.aliases, &source.name);
    c.text(&source.bio, "bio", 1200);
    c.list_len(
        source.other_scores.len(),
        0,
        25,
        "other_scores",
        &source.name,
    );
    for work in &source.other_scores {
        c.text(&work.title, "title", 100);
        c.year(&work.year, "year", 1888);
    }
    c.list_len(source.awards.len(), 0, 25, "awards", &source.name);
    for award in &source.awards {
        c.award(award);
        if let Some(recipients) = award.recipients.as_ref().and_then(|r| r.first()) {
            c.at(
                recipients,
                "a composer's own awards have no recipients field".into(),
            );
        }
    }
    c.sources(&source.sources, &source.name, reviewed);
}

/// An entry's id, file, name and aliases: what the check that names are unique needs.
/// An entry's names as written, with its id and file.
type Names<'a> = (&'a str, &'a Path, &'a Text, &'a [Text]);

fn check_unique_names<'a>(checker: &mut Checker, entries: impl Iterator<Item = Names<'a>>) {
    let mut seen: HashMap<String, (&str, &Path)> = HashMap::new();
    for (id, file, name, aliases) in entries {
        checker.file = file.to_path_buf();
        let mut own = Vec::new();
        for (i, written) in std::iter::once(name).chain(aliases).enumerate() {
            // Names are compared with their articles: "The Batman" is not "Batman".
            let key = text::fold(&written.value);
            if key.is_empty() {
                checker.at(
                    written,
                    format!("{:?} has no letters or digits to match on", written.value),
                );
                continue;
            }
            if own.contains(&key) {
                if i > 0 {
                    checker.at(
                        written,
                        format!("alias {:?} repeats a name of this entry", written.value),
                    );
                }
                continue;
            }
            own.push(key.clone());
            match seen.get(&key) {
                Some((other_id, other_file)) if *other_id != id => checker.at(
                    written,
                    format!(
                        "{:?} is also a name of {} ({})",
                        written.value,
                        other_id,
                        other_file.display()
                    ),
                ),
                _ => {
                    seen.insert(key, (id, file));
                }
            }
        }
    }
}

/// Adds `value` to `list` unless it is already the last one (lists are filled in order).
fn push_once(list: &mut Vec<u32>, value: u32) {
    if list.last() != Some(&value) {
        list.push(value);
    }
}

fn award_from(source: &AwardSource, recipients: Vec<u32>, film: Option<u32>) -> Award {
    Award {
        award: clean(&source.award.value),
        year: source.year.value,
        result: source.result.value,
        work: source.work.as_ref().map(|w| clean(&w.value)),
        recipients,
        film,
    }
}

fn values(list: &[Text]) -> Vec<String> {
    list.iter().map(|t| clean(&t.value)).collect()
}

/// The sources `build` owns, to free; none when the caller keeps them.
fn owned<T: Clone>(sources: Cow<'_, [T]>) -> Option<Vec<T>> {
    match sources {
        Cow::Owned(sources) => Some(sources),
        Cow::Borrowed(_) => None,
    }
}

/// Frees `spent`, then hands the memory it held back to the system: the bot's allocator
/// (mimalloc, set by the binary) otherwise keeps freed pages for a while, and at 100,000 entries
/// the sources are about 100 MB of them, a built knowledge about 160 MB.
pub(crate) fn release<T>(spent: Option<T>) {
    if let Some(spent) = spent {
        drop(spent);
        // SAFETY: mi_collect only frees memory the allocator no longer uses; it has no
        // preconditions.
        unsafe { libmimalloc_sys::mi_collect(true) };
    }
}

/// Folded YAML blocks can leave a trailing newline; text is shown as written otherwise.
fn clean(text: &str) -> String {
    text.trim().to_string()
}

/// Checks an entry id (a file name).
pub fn check_id(id: &str) -> Result<(), String> {
    let valid = !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "id {id:?} must be lower-case letters and digits in words joined by single hyphens, at most {MAX_ID_LEN} characters"
        ))
    }
}

/// What text in the knowledge may not contain, and why.
pub fn text_problem(text: &str, max: usize) -> Option<String> {
    let len = text::discord_len(text.trim());
    if len == 0 {
        return Some("is empty".into());
    }
    if len > max {
        return Some(format!("is {len} characters long; at most {max}"));
    }
    let lower = text.to_lowercase();
    if lower.contains("@everyone") || lower.contains("@here") {
        return Some("contains a mass mention (@everyone or @here)".into());
    }
    if let Some(i) = text.find('<') {
        let rest = &text[i + 1..];
        if rest.starts_with('@')
            || rest.starts_with('#')
            || rest.starts_with(':')
            || rest.starts_with("a:")
        {
            return Some("contains a Discord mention or custom emoji".into());
        }
    }
    if lower.contains("discord.gg/")
        || lower.contains("discord.com/invite")
        || lower.contains("discordapp.com/invite")
    {
        return Some("contains a Discord invite link".into());
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Some("contains control characters".into());
    }
    None
}

struct Checker {
    problems: Vec<Problem>,
    file: PathBuf,
}

impl Checker {
    fn at<T>(&mut self, located: &Located<T>, message: String) {
        self.problems.push(Problem {
            file: self.file.clone(),
            line: located.line,
            column: located.column,
            message,
        });
    }

    fn at_file(&mut self, message: String) {
        self.problems.push(Problem {
            file: self.file.clone(),
            line: 0,
            column: 0,
            message,
        });
    }

    fn text(&mut self, text: &Text, field: &str, max: usize) {
        if let Some(problem) = text_problem(&text.value, max) {
            self.at(text, format!("{field} {problem}"));
        }
    }

    fn optional_text(&mut self, text: &Option<Text>, field: &str, max: usize) {
        if let Some(text) = text {
            self.text(text, field, max);
        }
    }

    fn year(&mut self, year: &Located<u16>, field: &str, earliest: u16) {
        if !(earliest..=LATEST_YEAR).contains(&year.value) {
            self.at(
                year,
                format!(
                    "{field} {} is out of range {earliest} to {LATEST_YEAR}",
                    year.value
                ),
            );
        }
    }

    fn list_len(&mut self, len: usize, min: usize, max: usize, field: &str, owner: &Text) {
        if len < min {
            self.at(owner, format!("needs at least {min} {field}"));
        } else if len > max {
            self.at(owner, format!("has {len} {field}; at most {max}"));
        }
    }

    fn aliases(&mut self, aliases: &[Text], owner: &Text) {
        self.list_len(aliases.len(), 0, 20, "aliases", owner);
        for alias in aliases {
            self.text(alias, "alias", 100);
        }
    }

    fn award(&mut self, award: &AwardSource) {
        self.text(&award.award, "award", 150);
        self.year(&award.year, "award year", 1900);
        self.optional_text(&award.work, "for", 100);
    }

    fn sources(&mut self, sources: &[Text], owner: &Text, required: bool) {
        if required && sources.is_empty() {
            self.at(owner, "needs at least one source URL".into());
        }
        self.list_len(sources.len(), 0, 10, "sources", owner);
        for source in sources {
            let url = source.value.trim();
            let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
            if !scheme_ok || url.contains(char::is_whitespace) || url.len() > 300 {
                self.at(
                    source,
                    format!("source {url:?} is not an http(s) URL of at most 300 characters"),
                );
            }
        }
    }
}
