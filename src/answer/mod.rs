//! Answering: looks the names in a [`Question`] up in the [`Knowledge`] and decides what to say.
//! The one place that looks things up; it never invents anything the knowledge does not hold.

use crate::knowledge::{EntryRef, Kind, Knowledge, Lookup, Match, Resolution};
use crate::question::Question;

/// Which side of a film an answer is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilmView {
    /// Its score: composers, what the music is like, cues, awards.
    Score,
    /// Its songs and album.
    Soundtrack,
    /// When it came out.
    Released,
    /// Awards for its music.
    Awards,
}

/// Which side of a composer an answer is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComposerView {
    /// Who they are, with notable scores and awards.
    Profile,
    /// What they scored.
    Works,
    /// Their awards.
    Awards,
}

/// What the bot will say.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// About a film.
    Film {
        /// The film.
        film: u32,
        /// Which side of it.
        view: FilmView,
        /// How sure the name match was.
        how: Match,
        /// The name as the user wrote it.
        asked: String,
    },
    /// About a composer.
    Composer {
        /// The composer.
        composer: u32,
        /// Which side of them.
        view: ComposerView,
        /// How sure the name match was.
        how: Match,
        /// The name as the user wrote it.
        asked: String,
    },
    /// A glossary term.
    Term {
        /// The term.
        term: u32,
        /// How sure the name match was.
        how: Match,
        /// The name as the user wrote it.
        asked: String,
    },
    /// How two terms differ.
    Comparison {
        /// The first term.
        first: u32,
        /// The second term.
        second: u32,
    },
    /// A name the bot does not know, with what it might have meant.
    Unknown {
        /// The name as the user wrote it.
        asked: String,
        /// The kind of entry that was sought, when the question said.
        sought: Option<Kind>,
        /// Close names, best first (at most three).
        suggestions: Vec<EntryRef>,
    },
    /// A question that is not about film music, or not one the bot understands.
    OutOfScope,
    /// What the bot can do.
    Help,
}

impl Answer {
    /// Whether the bot has a real answer (not "I don't know" or "that's not film music").
    pub fn is_answered(&self) -> bool {
        !matches!(self, Answer::Unknown { .. } | Answer::OutOfScope)
    }

    /// Whether every name in the question was found exactly or by its words, with no guessing at
    /// typos: what the bot needs to answer in a channel without being asked directly.
    pub fn is_certain(&self) -> bool {
        match self {
            Answer::Film { how, .. } | Answer::Composer { how, .. } | Answer::Term { how, .. } => {
                *how != Match::Close
            }
            Answer::Comparison { .. } => true,
            _ => false,
        }
    }
}

/// Answers `question` from `knowledge`, forgiving typos and suggesting close names.
pub fn answer(knowledge: &Knowledge, question: &Question) -> Answer {
    answer_with(knowledge, question, Lookup::Forgiving)
}

/// Answers `question` from `knowledge`, looking names up as `lookup` says.
pub fn answer_with(knowledge: &Knowledge, question: &Question, lookup: Lookup) -> Answer {
    let knowledge = Finder { knowledge, lookup };
    let knowledge = &knowledge;
    match question {
        Question::Score { film } => film_answer(knowledge, film, FilmView::Score),
        Question::Soundtrack { film } => film_answer(knowledge, film, FilmView::Soundtrack),
        Question::Released { film } => film_answer(knowledge, film, FilmView::Released),
        Question::Composer { name } => composer_answer(knowledge, name, ComposerView::Profile),
        Question::Works { composer } => composer_answer(knowledge, composer, ComposerView::Works),
        Question::Define { term } => define(knowledge, term),
        Question::Compare { first, second } => compare(knowledge, first, second),
        Question::Awards { subject } => {
            match knowledge.resolve(subject, &[Kind::Film, Kind::Composer]) {
                Resolution::Found { entry, how } => entry_answer(entry, how, subject, Some(true)),
                Resolution::NotFound { suggestions } => unknown(subject, None, suggestions),
            }
        }
        Question::About { subject } => match knowledge.resolve(subject, &Kind::ALL) {
            Resolution::Found { entry, how } => entry_answer(entry, how, subject, None),
            Resolution::NotFound { suggestions } if suggestions.is_empty() => Answer::OutOfScope,
            Resolution::NotFound { suggestions } => unknown(subject, None, suggestions),
        },
        Question::Help => Answer::Help,
        Question::Empty => Answer::Help,
    }
}

fn film_answer(knowledge: &Finder, written: &str, view: FilmView) -> Answer {
    match knowledge.resolve(written, &[Kind::Film]) {
        Resolution::Found { entry, how } => Answer::Film {
            film: entry.index,
            view,
            how,
            asked: written.to_string(),
        },
        Resolution::NotFound { suggestions } => unknown(written, Some(Kind::Film), suggestions),
    }
}

fn composer_answer(knowledge: &Finder, written: &str, view: ComposerView) -> Answer {
    match knowledge.resolve(written, &[Kind::Composer]) {
        Resolution::Found { entry, how } => Answer::Composer {
            composer: entry.index,
            view,
            how,
            asked: written.to_string(),
        },
        Resolution::NotFound { suggestions } => unknown(written, Some(Kind::Composer), suggestions),
    }
}

/// "What is X" is usually a term, but people also ask "what is Koyaanisqatsi".
fn define(knowledge: &Finder, written: &str) -> Answer {
    match knowledge.resolve(written, &[Kind::Term]) {
        Resolution::Found { entry, how } => Answer::Term {
            term: entry.index,
            how,
            asked: written.to_string(),
        },
        Resolution::NotFound { suggestions } => {
            if let Resolution::Found { entry, how } =
                knowledge.resolve(written, &[Kind::Film, Kind::Composer])
                && how != Match::Close
            {
                return entry_answer(entry, how, written, None);
            }
            if suggestions.is_empty() {
                Answer::OutOfScope
            } else {
                unknown(written, Some(Kind::Term), suggestions)
            }
        }
    }
}

fn compare(knowledge: &Finder, first: &str, second: &str) -> Answer {
    let a = knowledge.resolve(first, &[Kind::Term]);
    let b = knowledge.resolve(second, &[Kind::Term]);
    match (a, b) {
        (Resolution::Found { entry: a, .. }, Resolution::Found { entry: b, .. }) if a != b => {
            Answer::Comparison {
                first: a.index,
                second: b.index,
            }
        }
        (Resolution::Found { entry: a, how }, Resolution::Found { .. }) => Answer::Term {
            term: a.index,
            how,
            asked: first.to_string(),
        },
        (Resolution::NotFound { suggestions }, _) => unknown(first, Some(Kind::Term), suggestions),
        (_, Resolution::NotFound { suggestions }) => unknown(second, Some(Kind::Term), suggestions),
    }
}

/// The knowledge and how to look names up in it.
struct Finder<'a> {
    knowledge: &'a Knowledge,
    lookup: Lookup,
}

impl Finder<'_> {
    fn resolve(&self, written: &str, kinds: &[Kind]) -> Resolution {
        self.knowledge.resolve_with(written, kinds, self.lookup)
    }
}

fn entry_answer(entry: EntryRef, how: Match, asked: &str, awards: Option<bool>) -> Answer {
    let asked = asked.to_string();
    let awards = awards.unwrap_or(false);
    match entry.kind {
        Kind::Film => Answer::Film {
            film: entry.index,
            view: if awards {
                FilmView::Awards
            } else {
                FilmView::Score
            },
            how,
            asked,
        },
        Kind::Composer => Answer::Composer {
            composer: entry.index,
            view: if awards {
                ComposerView::Awards
            } else {
                ComposerView::Profile
            },
            how,
            asked,
        },
        Kind::Term => Answer::Term {
            term: entry.index,
            how,
            asked,
        },
    }
}

fn unknown(asked: &str, sought: Option<Kind>, suggestions: Vec<EntryRef>) -> Answer {
    Answer::Unknown {
        asked: asked.to_string(),
        sought,
        suggestions,
    }
}
