//! The knowledge base: films, composers and terms, loaded from YAML, checked, and indexed for
//! lookups. Nothing here knows about Discord.

mod build;
mod cache;
pub mod entry;
pub mod index;
mod load;
pub mod schema;
pub mod source;
pub mod yaml;

// The knowledge's maps are keyed by its own names and ids, which only the operator and
// moderators write: the fast unkeyed hash, where the standard one was much of a short key's lookup.
use rustc_hash::FxHashMap;

pub(crate) use build::release;
pub use build::{LATEST_YEAR, MAX_ID_LEN, Sources, build, build_from, check_id, text_problem};
pub use entry::{
    Award, AwardResult, Composer, Cue, EntryRef, Film, Kind, MusicKind, Song, Term, Work,
};
pub use index::{Index, Lookup, Match, NameIndex, Resolution};
pub use load::{CacheReport, LoadError, Problem, add_file, load_dir, read_dir, read_dir_cached};

/// Everything the bot knows, checked and indexed.
#[derive(Debug)]
pub struct Knowledge {
    films: Vec<Film>,
    composers: Vec<Composer>,
    terms: Vec<Term>,
    ids: FxHashMap<String, EntryRef>,
    index: Index,
}

impl Knowledge {
    /// All films.
    pub fn films(&self) -> &[Film] {
        &self.films
    }

    /// All composers.
    pub fn composers(&self) -> &[Composer] {
        &self.composers
    }

    /// All terms.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The film at `index`.
    pub fn film(&self, index: u32) -> &Film {
        &self.films[index as usize]
    }

    /// The composer at `index`.
    pub fn composer(&self, index: u32) -> &Composer {
        &self.composers[index as usize]
    }

    /// The term at `index`.
    pub fn term(&self, index: u32) -> &Term {
        &self.terms[index as usize]
    }

    /// The entry with this id.
    pub fn by_id(&self, id: &str) -> Option<EntryRef> {
        self.ids.get(id).copied()
    }

    /// The id of an entry.
    pub fn id(&self, entry: EntryRef) -> &str {
        match entry.kind {
            Kind::Film => &self.film(entry.index).id,
            Kind::Composer => &self.composer(entry.index).id,
            Kind::Term => &self.term(entry.index).id,
        }
    }

    /// How an entry is named in lists and menus: "Psycho (1960)", "Bernard Herrmann", "Leitmotif".
    pub fn label(&self, entry: EntryRef) -> String {
        match entry.kind {
            Kind::Film => {
                let film = self.film(entry.index);
                crate::text::titled(&film.title, film.year)
            }
            Kind::Composer => self.composer(entry.index).name.clone(),
            Kind::Term => self.term(entry.index).term.clone(),
        }
    }

    /// Total number of entries.
    pub fn len(&self) -> usize {
        self.films.len() + self.composers.len() + self.terms.len()
    }

    /// Whether there are no entries at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name indexes.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Resolves a name as written to an entry of one of `kinds`, forgiving typos, or to
    /// suggestions.
    pub fn resolve(&self, written: &str, kinds: &[Kind]) -> Resolution {
        self.resolve_with(written, kinds, Lookup::Forgiving)
    }

    /// Resolves a name as written to an entry of one of `kinds`, looking as `lookup` says.
    pub fn resolve_with(&self, written: &str, kinds: &[Kind], lookup: Lookup) -> Resolution {
        if let Some(entry) = self
            .by_id(written.trim())
            .filter(|e| kinds.contains(&e.kind))
        {
            return Resolution::Found {
                entry,
                how: Match::Exact,
            };
        }
        self.index
            .resolve(written, kinds, lookup, |film| self.film(film).year)
    }

    /// Up to `limit` entries of `kind` for a partly typed name, best first.
    pub fn complete(&self, kind: Kind, partial: &str, limit: usize) -> Vec<EntryRef> {
        self.index
            .of(kind)
            .complete(partial, limit)
            .into_iter()
            .map(|index| EntryRef { kind, index })
            .collect()
    }

    /// How terms `a` and `b` differ, if the knowledge says.
    pub fn distinction(&self, a: u32, b: u32) -> Option<&str> {
        let find = |from: u32, to: u32| {
            self.term(from)
                .distinctions
                .iter()
                .find(|(t, _)| *t == to)
                .map(|(_, text)| text.as_str())
        };
        find(a, b).or_else(|| find(b, a))
    }
}
