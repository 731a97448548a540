//! Looking names up: the index built once when knowledge loads, and the one policy that turns a
//! name as a user wrote it into an entry (exact, by words, or forgiving typos) or into "did you
//! mean" suggestions.
//!
//! Keys are [`text::fold`]ed names without a leading article, so they are ASCII lower-case words
//! separated by single spaces; the trigram table relies on that.

use std::collections::HashMap;

use super::entry::{Composer, Film, Term};
use super::{EntryRef, Kind};
use crate::text;

/// A match this good or better, and clearly ahead of the next, is taken as what the user meant.
const CONFIDENT: f32 = 0.75;
/// How far ahead of the runner-up a typo match must be to be taken without asking.
const MARGIN: f32 = 0.08;
/// Below this a name is not worth suggesting.
const SUGGEST: f32 = 0.55;
/// How many names the trigram filter passes on to be scored.
const CANDIDATES: usize = 48;
/// Words that carry no meaning in a title ("the good, the bad and the ugly").
const STOP_WORDS: [&str; 9] = ["the", "a", "an", "of", "and", "in", "to", "on", "for"];

/// How a name was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The name or an alias, as written (folded).
    Exact,
    /// Every word given is a word of the name, and it is the only such entry (a surname, or most
    /// of a title).
    Words,
    /// The closest name, forgiving typos.
    Close,
}

/// What a name resolved to.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// The entry the user meant.
    Found {
        /// The entry.
        entry: EntryRef,
        /// How sure the match is.
        how: Match,
    },
    /// No entry is a sure match; these (at most three) come close.
    NotFound {
        /// Best first.
        suggestions: Vec<EntryRef>,
    },
}

/// One name (title, composer name, term, or alias) of one entry.
#[derive(Debug, Clone)]
struct Name {
    /// The folded name, article included.
    key: Box<str>,
    /// Length of a leading article and its space in `key` (0 if none).
    article: u8,
    entry: u32,
}

impl Name {
    /// The key without its leading article.
    fn bare(&self) -> &str {
        &self.key[self.article as usize..]
    }
}

/// The names of all entries of one kind, indexed for exact, prefix, word and fuzzy lookup.
#[derive(Debug, Default)]
pub struct NameIndex {
    names: Vec<Name>,
    exact: HashMap<Box<str>, u32>,
    /// (name, byte offset of a word start) sorted by the key from that word on: prefix and
    /// word-start completion are a binary search.
    word_starts: Vec<(u32, u16)>,
    /// Word -> entries having a name with that word.
    words: HashMap<Box<str>, Vec<u32>>,
    /// Significant words in each entry's primary name, for judging how much of it a query covers.
    primary_words: Vec<u8>,
    /// The last word of each entry's primary name (a person's surname).
    last_words: Vec<Box<str>>,
    /// Trigram (dense code) -> names containing it.
    trigrams: Vec<Vec<u32>>,
    /// Entries in alphabetical order of their primary name, for an empty autocomplete.
    alphabetical: Vec<u32>,
}

/// The name indexes of the three kinds.
#[derive(Debug, Default)]
pub struct Index {
    films: NameIndex,
    composers: NameIndex,
    terms: NameIndex,
}

impl Index {
    /// Indexes the names of the given entries.
    pub fn build(films: &[Film], composers: &[Composer], terms: &[Term]) -> Index {
        Index {
            films: NameIndex::build(films.iter().map(|f| (&f.title, &f.aliases))),
            composers: NameIndex::build(composers.iter().map(|c| (&c.name, &c.aliases))),
            terms: NameIndex::build(terms.iter().map(|t| (&t.term, &t.aliases))),
        }
    }

    /// The index of one kind.
    pub fn of(&self, kind: Kind) -> &NameIndex {
        match kind {
            Kind::Film => &self.films,
            Kind::Composer => &self.composers,
            Kind::Term => &self.terms,
        }
    }

    /// Resolves a name as a user wrote it to an entry of one of `kinds` (tried in that order),
    /// or to suggestions. `film_year` tells a film's year when the user gave one ("dune 2021").
    pub fn resolve(
        &self,
        written: &str,
        kinds: &[Kind],
        film_year: impl Fn(u32) -> u16,
    ) -> Resolution {
        let folded = text::fold(written);
        let key = text::strip_article(&folded);
        if key.is_empty() {
            return Resolution::NotFound {
                suggestions: Vec::new(),
            };
        }
        let found = |kind: Kind, index: u32, how: Match| Resolution::Found {
            entry: EntryRef { kind, index },
            how,
        };
        // "The Batman" and "Batman" are different films: the article decides when it is given.
        for candidate in [folded.as_str(), key] {
            for &kind in kinds {
                if let Some(entry) = self.of(kind).exact(candidate) {
                    return found(kind, entry, Match::Exact);
                }
            }
        }
        // "psycho 1960", "dune 2021": a trailing year picks among films.
        if let Some((title, year)) = split_year(key)
            && kinds.contains(&Kind::Film)
        {
            let films = self.of(Kind::Film);
            if let Some(entry) = films.exact(title).filter(|&e| film_year(e) == year) {
                return found(Kind::Film, entry, Match::Exact);
            }
            if let Some(&entry) = films
                .entries_with_words(title)
                .iter()
                .find(|&&e| film_year(e) == year)
            {
                return found(Kind::Film, entry, Match::Words);
            }
        }
        for form in text::singular_forms(key) {
            for &kind in kinds {
                if let Some(entry) = self.of(kind).exact(&form) {
                    return found(kind, entry, Match::Exact);
                }
            }
        }

        let mut word_hits: Vec<(EntryRef, bool)> = Vec::new();
        for &kind in kinds {
            let index = self.of(kind);
            for entry in index.entries_with_words(key) {
                word_hits.push((
                    EntryRef { kind, index: entry },
                    index.covers(entry, key, kind),
                ));
            }
        }
        if let [(entry, sure)] = word_hits[..]
            && sure
        {
            return Resolution::Found {
                entry,
                how: Match::Words,
            };
        }

        let mut scored: Vec<(EntryRef, f32)> = Vec::new();
        for &kind in kinds {
            for (entry, score) in self.of(kind).fuzzy(key, false) {
                scored.push((EntryRef { kind, index: entry }, score));
            }
        }
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        if word_hits.is_empty()
            && let Some(&(best, score)) = scored.first()
        {
            let runner_up = scored.get(1).map_or(0.0, |r| r.1);
            if score >= CONFIDENT && runner_up < score - MARGIN {
                return Resolution::Found {
                    entry: best,
                    how: Match::Close,
                };
            }
        }
        let mut suggestions: Vec<EntryRef> = word_hits.iter().map(|(e, _)| *e).collect();
        for (entry, score) in scored {
            if score >= SUGGEST && !suggestions.contains(&entry) {
                suggestions.push(entry);
            }
        }
        suggestions.truncate(3);
        Resolution::NotFound { suggestions }
    }
}

impl NameIndex {
    /// Indexes entries given as (primary name, aliases), in entry order.
    pub fn build<'a>(entries: impl Iterator<Item = (&'a String, &'a Vec<String>)>) -> NameIndex {
        let mut index = NameIndex {
            trigrams: vec![Vec::new(); TRIGRAM_SPACE],
            ..Default::default()
        };
        let mut primary_keys: Vec<Box<str>> = Vec::new();
        for (entry, (primary, aliases)) in entries.enumerate() {
            let entry = entry as u32;
            let primary_key: Box<str> = key_of(primary).into();
            index.primary_words.push(
                primary_key
                    .split(' ')
                    .filter(|w| !STOP_WORDS.contains(w))
                    .count()
                    .min(255) as u8,
            );
            index
                .last_words
                .push(primary_key.rsplit(' ').next().unwrap_or_default().into());
            primary_keys.push(primary_key);
            for written in std::iter::once(primary).chain(aliases) {
                let key = text::fold(written);
                if key.is_empty() || index.exact.contains_key(key.as_str()) {
                    continue;
                }
                let article = (key.len() - text::strip_article(&key).len()) as u8;
                let name = index.names.len() as u32;
                index.exact.insert(key.clone().into(), name);
                for word in key[article as usize..].split(' ') {
                    let holders = index.words.entry(word.into()).or_default();
                    if holders.last() != Some(&entry) {
                        holders.push(entry);
                    }
                }
                let word_offsets =
                    std::iter::once(0).chain(key.match_indices(' ').map(|(i, _)| i + 1));
                for offset in word_offsets.take_while(|&o| o <= u16::MAX as usize) {
                    index.word_starts.push((name, offset as u16));
                }
                for code in trigram_codes(&key[article as usize..]) {
                    let postings = &mut index.trigrams[code];
                    if postings.last() != Some(&name) {
                        postings.push(name);
                    }
                }
                index.names.push(Name {
                    key: key.into(),
                    article,
                    entry,
                });
            }
        }
        // Without its article a name is also found ("dark knight"), unless another name is
        // exactly that ("Batman" beside "The Batman").
        for (i, name) in index.names.iter().enumerate() {
            if name.article > 0 {
                index.exact.entry(name.bare().into()).or_insert(i as u32);
            }
        }
        let names = &index.names;
        index.word_starts.sort_unstable_by(|a, b| {
            names[a.0 as usize].key[a.1 as usize..].cmp(&names[b.0 as usize].key[b.1 as usize..])
        });
        let mut alphabetical: Vec<u32> = (0..primary_keys.len() as u32).collect();
        alphabetical.sort_by(|&a, &b| primary_keys[a as usize].cmp(&primary_keys[b as usize]));
        index.alphabetical = alphabetical;
        index
    }

    /// How many names (including aliases) are indexed.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The entry with exactly this key (folded, article stripped) as a name.
    pub fn exact(&self, key: &str) -> Option<u32> {
        self.exact
            .get(key)
            .map(|&name| self.names[name as usize].entry)
    }

    /// Entries having a name that contains every word of `key`.
    fn entries_with_words(&self, key: &str) -> Vec<u32> {
        let mut words = key.split(' ').filter(|w| !STOP_WORDS.contains(w));
        let Some(first) = words.next() else {
            return Vec::new();
        };
        let Some(holders) = self.words.get(first) else {
            return Vec::new();
        };
        let mut result = holders.clone();
        for word in words {
            let Some(others) = self.words.get(word) else {
                return Vec::new();
            };
            result.retain(|e| others.contains(e));
        }
        result
    }

    /// Whether `key`'s words say enough of `entry`'s name to be sure: a person's surname, or at
    /// least half the name's words.
    fn covers(&self, entry: u32, key: &str, kind: Kind) -> bool {
        let given = key.split(' ').filter(|w| !STOP_WORDS.contains(w)).count();
        let needed = self.primary_words[entry as usize] as usize;
        (kind == Kind::Composer && key == &*self.last_words[entry as usize]) || given * 2 >= needed
    }

    /// Entries whose names are close to `key`, forgiving typos, best first, each entry once.
    /// With `partial`, the last word may be unfinished (autocomplete).
    pub fn fuzzy(&self, key: &str, partial: bool) -> Vec<(u32, f32)> {
        if key.len() < 3 || self.names.is_empty() {
            return Vec::new();
        }
        let mut counts: HashMap<u32, u16> = HashMap::new();
        for code in trigram_codes(key) {
            for &name in &self.trigrams[code] {
                *counts.entry(name).or_default() += 1;
            }
        }
        let mut candidates: Vec<(u32, u16)> = counts.into_iter().collect();
        if candidates.len() > CANDIDATES {
            candidates.select_nth_unstable_by(CANDIDATES, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            candidates.truncate(CANDIDATES);
        }
        let query_words: Vec<&str> = key.split(' ').collect();
        let mut best: Vec<(u32, f32)> = Vec::new();
        for (name, _) in candidates {
            let name = &self.names[name as usize];
            let score = similarity(key, &query_words, name.bare(), partial);
            match best.iter_mut().find(|(e, _)| *e == name.entry) {
                Some(slot) if slot.1 < score => slot.1 = score,
                Some(_) => {}
                None => best.push((name.entry, score)),
            }
        }
        best.retain(|(_, s)| *s >= SUGGEST);
        best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        best
    }

    /// Up to `limit` entries for a partly typed name, best first: the exact name, names starting
    /// with it, names with a word starting with it (each alphabetically), then close matches.
    pub fn complete(&self, partial: &str, limit: usize) -> Vec<u32> {
        let key = text::fold(partial);
        if key.is_empty() {
            return self.alphabetical.iter().copied().take(limit).collect();
        }
        let mut exact = None;
        let mut prefix = Vec::new();
        let mut word_start = Vec::new();
        let start = self
            .word_starts
            .partition_point(|&(n, o)| &self.names[n as usize].key[o as usize..] < key.as_str());
        for &(name, offset) in &self.word_starts[start..] {
            let name = &self.names[name as usize];
            let from = &name.key[offset as usize..];
            if !from.starts_with(key.as_str()) {
                break;
            }
            let at_start = offset == 0 || offset == u16::from(name.article);
            if at_start && from == key {
                exact = Some(name.entry);
            } else if at_start {
                push_unique(&mut prefix, name.entry, limit);
            } else {
                push_unique(&mut word_start, name.entry, limit);
            }
            if prefix.len() >= limit {
                break;
            }
        }
        let mut result: Vec<u32> = Vec::with_capacity(limit);
        for entry in exact.into_iter().chain(prefix).chain(word_start) {
            push_unique(&mut result, entry, limit);
        }
        if result.len() < limit {
            for (entry, _) in self.fuzzy(text::strip_article(&key), true) {
                push_unique(&mut result, entry, limit);
            }
        }
        result
    }
}

fn push_unique(list: &mut Vec<u32>, entry: u32, limit: usize) {
    if list.len() < limit && !list.contains(&entry) {
        list.push(entry);
    }
}

/// The lookup key of a name as written.
pub fn key_of(written: &str) -> String {
    let folded = text::fold(written);
    text::strip_article(&folded).to_string()
}

/// "dune 2021" -> ("dune", 2021).
fn split_year(key: &str) -> Option<(&str, u16)> {
    let (title, last) = key.rsplit_once(' ')?;
    if last.len() != 4 {
        return None;
    }
    let year: u16 = last.parse().ok()?;
    (1888..=2100).contains(&year).then_some((title, year))
}

/// How alike a query and a name are, from 0 to 1: the better of whole-string similarity and
/// word-by-word similarity (each query word against its best name word), the latter scaled by how
/// much of the name the query accounts for.
fn similarity(query: &str, query_words: &[&str], name: &str, partial: bool) -> f32 {
    let whole = if partial && name.len() > query.len() {
        let cut = floor_char_boundary(name, query.len());
        normalized_osa(query, &name[..cut]).max(normalized_osa(query, name)) * 0.97
    } else {
        normalized_osa(query, name)
    };
    let name_words: Vec<&str> = name.split(' ').collect();
    let significant = name_words
        .iter()
        .filter(|w| !STOP_WORDS.contains(w))
        .count()
        .max(1);
    let mut total = 0.0;
    let mut matched = 0usize;
    let mut counted = 0usize;
    for (i, q) in query_words.iter().enumerate() {
        if STOP_WORDS.contains(q) && query_words.len() > 1 {
            continue;
        }
        counted += 1;
        let last = partial && i + 1 == query_words.len();
        let best = name_words
            .iter()
            .map(|w| word_similarity(q, w, last))
            .fold(0.0f32, f32::max);
        if best >= CONFIDENT {
            matched += 1;
        }
        total += best;
    }
    if counted == 0 {
        return whole;
    }
    let words = total / counted as f32;
    let coverage = (matched as f32 / significant as f32).min(1.0);
    whole.max(words * (0.85 + 0.15 * coverage))
}

fn word_similarity(query: &str, word: &str, partial: bool) -> f32 {
    if partial && word.starts_with(query) {
        return 1.0;
    }
    let full = normalized_osa(query, word);
    if partial && word.len() > query.len() {
        let cut = floor_char_boundary(word, query.len());
        full.max(normalized_osa(query, &word[..cut]) * 0.95)
    } else {
        full
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Optimal string alignment similarity: edits, including swapping two neighbours ("pyscho"),
/// relative to the longer string.
fn normalized_osa(a: &str, b: &str) -> f32 {
    let longest = a.chars().count().max(b.chars().count());
    if longest == 0 {
        return 1.0;
    }
    1.0 - strsim::osa_distance(a, b) as f32 / longest as f32
}

/// Space, a to z, 0 to 9.
const ALPHABET: usize = 37;
const TRIGRAM_SPACE: usize = ALPHABET * ALPHABET * ALPHABET;

fn symbol(b: u8) -> usize {
    match b {
        b'a'..=b'z' => (b - b'a') as usize + 1,
        b'0'..=b'9' => (b - b'0') as usize + 27,
        _ => 0,
    }
}

/// Dense codes of the trigrams of ` key `, padded so word starts and ends count.
fn trigram_codes(key: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = key.as_bytes();
    let n = bytes.len();
    let at = move |i: usize| {
        if i == 0 || i > n {
            0
        } else {
            symbol(bytes[i - 1])
        }
    };
    (0..n).map(move |i| at(i) * ALPHABET * ALPHABET + at(i + 1) * ALPHABET + at(i + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(names: &[(&str, &[&str])]) -> NameIndex {
        let owned: Vec<(String, Vec<String>)> = names
            .iter()
            .map(|(n, a)| (n.to_string(), a.iter().map(|s| s.to_string()).collect()))
            .collect();
        NameIndex::build(owned.iter().map(|(n, a)| (n, a)))
    }

    #[test]
    fn completes_prefix_then_word_start_then_typos() {
        let films = index(&[
            ("Psycho", &[]),
            ("Star Wars", &["A New Hope"]),
            ("The Dark Knight", &["TDK"]),
            ("Batman Begins", &[]),
            ("Batman", &[]),
        ]);
        assert_eq!(films.complete("psy", 25), [0]);
        assert_eq!(films.complete("bat", 25), [4, 3]);
        assert_eq!(films.complete("knight", 25), [2]);
        assert_eq!(films.complete("the dark", 25), [2]);
        assert_eq!(films.complete("pyscho", 25), [0]);
        assert_eq!(films.complete("", 2).len(), 2);
    }

    #[test]
    fn trigrams_cover_every_position() {
        assert_eq!(trigram_codes("ab").count(), 2);
        assert_eq!(trigram_codes("abc").count(), 3);
    }
}
