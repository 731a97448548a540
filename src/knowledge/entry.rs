//! Knowledge as the bot holds it in memory: entries resolved and cross-linked, ready to answer
//! from. Built from [`crate::knowledge::source`] by [`crate::knowledge::build`].

pub use super::source::{AwardResult, MusicKind};

/// The three kinds of entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A film and its music.
    Film,
    /// A composer.
    Composer,
    /// A glossary term.
    Term,
}

impl Kind {
    /// All kinds, in the order they are tried when a question does not say which it means.
    pub const ALL: [Kind; 3] = [Kind::Film, Kind::Composer, Kind::Term];

    /// The folder name of this kind in a knowledge directory, and its name in messages.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Film => "films",
            Kind::Composer => "composers",
            Kind::Term => "terms",
        }
    }

    /// The singular noun for this kind ("film").
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Film => "film",
            Kind::Composer => "composer",
            Kind::Term => "term",
        }
    }
}

/// A reference to one entry: its kind and position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryRef {
    /// Which kind of entry.
    pub kind: Kind,
    /// Its position among the entries of that kind.
    pub index: u32,
}

/// A film and its music.
#[derive(Debug, Clone)]
pub struct Film {
    /// The id (file name).
    pub id: String,
    /// The title.
    pub title: String,
    /// Release year.
    pub year: u16,
    /// Directors' names.
    pub directors: Vec<String>,
    /// Composers of the original music (indices into the composers).
    pub composers: Vec<u32>,
    /// Original score, compiled soundtrack, or both.
    pub music: MusicKind,
    /// What the music is like.
    pub summary: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// Notable cues and themes.
    pub cues: Vec<Cue>,
    /// Notable songs.
    pub songs: Vec<Song>,
    /// The released album.
    pub album: Option<String>,
    /// Awards for the music.
    pub awards: Vec<Award>,
    /// Supporting URLs.
    pub sources: Vec<String>,
}

/// A notable cue or theme.
#[derive(Debug, Clone)]
pub struct Cue {
    /// Its title.
    pub title: String,
    /// What it is.
    pub note: Option<String>,
}

/// A song heard in a film.
#[derive(Debug, Clone)]
pub struct Song {
    /// Its title.
    pub title: String,
    /// Who performs it.
    pub performer: String,
    /// Who wrote it.
    pub writer: Option<String>,
    /// About its use.
    pub note: Option<String>,
}

/// An award or nomination.
#[derive(Debug, Clone)]
pub struct Award {
    /// Award and category.
    pub award: String,
    /// Ceremony year.
    pub year: u16,
    /// Won or nominated.
    pub result: AwardResult,
    /// The song or piece it was for, when not the whole score.
    pub work: Option<String>,
    /// Composers who received it (indices). For a composer's own awards: empty.
    pub recipients: Vec<u32>,
    /// For an award shown on a composer: the film it came with, if that film has an entry.
    pub film: Option<u32>,
}

/// A composer.
#[derive(Debug, Clone)]
pub struct Composer {
    /// The id (file name).
    pub id: String,
    /// The name.
    pub name: String,
    /// Year of birth, when known.
    pub born: Option<u16>,
    /// Year of death.
    pub died: Option<u16>,
    /// Other names.
    pub aliases: Vec<String>,
    /// Who they are.
    pub bio: String,
    /// Films with entries that they scored (indices), oldest first.
    pub films: Vec<u32>,
    /// Scores of films without entries.
    pub other_scores: Vec<Work>,
    /// Their awards: their own, then those from their films, oldest first.
    pub awards: Vec<Award>,
    /// Supporting URLs.
    pub sources: Vec<String>,
}

/// A score of a film that has no entry.
#[derive(Debug, Clone)]
pub struct Work {
    /// The film's title.
    pub title: String,
    /// The film's year.
    pub year: u16,
}

/// A glossary term.
#[derive(Debug, Clone)]
pub struct Term {
    /// The id (file name).
    pub id: String,
    /// The term.
    pub term: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// What it means.
    pub definition: String,
    /// Related terms (indices).
    pub related: Vec<u32>,
    /// Films that show it (indices).
    pub examples: Vec<u32>,
    /// How it differs from other terms: (term index, text).
    pub distinctions: Vec<(u32, String)>,
    /// Supporting URLs.
    pub sources: Vec<String>,
}
