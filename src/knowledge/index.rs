//! Looking names up: the index built once when knowledge loads, and the one policy that turns a
//! name as a user wrote it into an entry (exact, by words, or forgiving typos) or into "did you
//! mean" suggestions.
//!
//! Keys are [`text::fold`]ed names without a leading article, so they are ASCII lower-case words
//! separated by single spaces; the trigram table relies on that.

// Keyed by the knowledge's names, not by users' text: see `knowledge`.
use rustc_hash::FxHashMap;

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
const CANDIDATES: usize = 24;
/// Trigrams with more names than this (or than a 32nd of the names, if more) are skipped when
/// finding candidates for a typo lookup, as long as the query has a rarer one.
const COMMON_TRIGRAM: usize = 1_000;

thread_local! {
    /// Shared-trigram counts by name, for [`NameIndex::fuzzy`]: kept between lookups, and
    /// all zero between them.
    static COUNTS: std::cell::RefCell<Vec<u16>> = const { std::cell::RefCell::new(Vec::new()) };
}

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

/// How hard to look for a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// Exact names, then words of names, then close names forgiving typos, with suggestions:
    /// for questions put to the bot.
    Forgiving,
    /// Exact names and words of names only, no suggestions: for chat the bot was not asked,
    /// where it answers only when sure, and which must stay cheap.
    Sure,
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
    /// How many words of the name without its article are not stop words (at least 1), for
    /// judging how much of it a query covers.
    significant: u8,
    entry: u32,
    /// The words of the name without its article: `NameIndex::word_info[words.0..words.1]`,
    /// and their letters; `None` for a name of too many words.
    words: Option<((u32, u32), u64)>,
}

impl Name {
    /// The key without its leading article.
    fn bare(&self) -> &str {
        &self.key[self.article as usize..]
    }
}

/// Where a word of a name starts, with the first bytes of the key from there: a prefix search
/// compares those, and reads the name's own text only when they are all equal. Each name read
/// is a trip to memory for a keystroke that finds the processor's caches cold.
#[derive(Debug, Clone, Copy)]
struct WordStart {
    /// [`head`] of the key from `offset`.
    head: u64,
    name: u32,
    /// Byte offset of the word in the name's key.
    offset: u16,
}

/// How many bytes of a key a [`WordStart`] holds.
const HEAD: usize = 8;

/// The first [`HEAD`] bytes of `text`, zero after its end, as a big-endian number: heads compare
/// as the texts' first bytes do (keys hold no zero bytes, and a shorter text sorts first).
fn head(text: &str) -> u64 {
    let mut bytes = [0; HEAD];
    let len = text.len().min(HEAD);
    bytes[..len].copy_from_slice(&text.as_bytes()[..len]);
    u64::from_be_bytes(bytes)
}

/// The names of all entries of one kind, indexed for exact, prefix, word and fuzzy lookup.
#[derive(Debug, Default)]
pub struct NameIndex {
    names: Vec<Name>,
    exact: FxHashMap<Box<str>, u32>,
    /// Every word start of every name, sorted by the key from that word on: prefix and
    /// word-start completion are a binary search.
    word_starts: Vec<WordStart>,
    /// Word -> entries having a name with that word.
    words: FxHashMap<Box<str>, Vec<u32>>,
    /// Significant words in each entry's primary name, for judging how much of it a query covers.
    primary_words: Vec<u8>,
    /// The last word of each entry's primary name (a person's surname).
    last_words: Vec<Box<str>>,
    /// Trigram (dense code) -> names containing it: the names of trigram `t` are
    /// `trigram_names[trigram_starts[t]..trigram_starts[t + 1]]`. One flat array rather than a
    /// vector a trigram: 50,653 vector headers and their spare capacity were megabytes.
    trigram_starts: Vec<u32>,
    trigram_names: Vec<u32>,
    /// Entries in alphabetical order of their primary name, for an empty autocomplete.
    alphabetical: Vec<u32>,
    /// The words of every name, in name order (see `Name::words`).
    word_info: Vec<WordInfo>,
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
    /// or to suggestions, looking as `lookup` says. `film_year` tells a film's year when the user
    /// gave one ("dune 2021").
    pub fn resolve(
        &self,
        written: &str,
        kinds: &[Kind],
        lookup: Lookup,
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

        if lookup == Lookup::Sure {
            return Resolution::NotFound {
                suggestions: Vec::new(),
            };
        }
        let mut scored: Vec<(EntryRef, f32)> = Vec::new();
        let query = Query::new(key);
        if let [kind] = kinds {
            for (entry, score) in self.of(*kind).fuzzy_query(&query, false) {
                scored.push((
                    EntryRef {
                        kind: *kind,
                        index: entry,
                    },
                    score,
                ));
            }
        } else {
            // One set of candidates for all kinds, not one a kind: scoring names is the cost,
            // and a question that could be about anything would score three sets.
            let mut candidates: Vec<(usize, u32, f32)> = Vec::new();
            for (k, &kind) in kinds.iter().enumerate() {
                let index = self.of(kind);
                for (name, shared) in index.candidates(&query) {
                    candidates.push((k, name, index.overlap(&query, name, shared)));
                }
            }
            if candidates.len() > CANDIDATES {
                candidates.select_nth_unstable_by(CANDIDATES, |a, b| {
                    b.2.total_cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1)))
                });
                candidates.truncate(CANDIDATES);
            }
            for (k, &kind) in kinds.iter().enumerate() {
                let names = candidates.iter().filter(|c| c.0 == k).map(|c| c.1);
                for (entry, score) in self.of(kind).score(&query, names, false) {
                    scored.push((EntryRef { kind, index: entry }, score));
                }
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
        let mut index = NameIndex::default();
        let mut trigrams: Vec<Vec<u32>> = vec![Vec::new(); TRIGRAM_SPACE];
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
                    index.word_starts.push(WordStart {
                        head: head(&key[offset..]),
                        name,
                        offset: offset as u16,
                    });
                }
                for code in trigram_codes(&key[article as usize..]) {
                    let postings = &mut trigrams[code];
                    if postings.last() != Some(&name) {
                        postings.push(name);
                    }
                }
                let significant = key[article as usize..]
                    .split(' ')
                    .filter(|w| !STOP_WORDS.contains(w))
                    .count()
                    .clamp(1, 255) as u8;
                let from = index.word_info.len() as u32;
                let words = NameWords::compute(&key[article as usize..], &mut index.word_info)
                    .map(|letters| ((from, index.word_info.len() as u32), letters));
                index.names.push(Name {
                    key: key.into(),
                    article,
                    significant,
                    entry,
                    words,
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
        let from = |w: &WordStart| &names[w.name as usize].key[w.offset as usize..];
        // Names with the same text from a word on ("the lion king", "the return of the king")
        // in alphabetical order without their articles, as an empty completion lists them.
        index.word_starts.sort_unstable_by(|a, b| {
            a.head
                .cmp(&b.head)
                .then_with(|| from(a).cmp(from(b)))
                .then_with(|| {
                    names[a.name as usize]
                        .bare()
                        .cmp(names[b.name as usize].bare())
                })
                .then(a.name.cmp(&b.name))
        });
        let mut alphabetical: Vec<u32> = (0..primary_keys.len() as u32).collect();
        alphabetical.sort_by(|&a, &b| primary_keys[a as usize].cmp(&primary_keys[b as usize]));
        index.alphabetical = alphabetical;
        index.trigram_starts = Vec::with_capacity(TRIGRAM_SPACE + 1);
        index.trigram_names = Vec::with_capacity(trigrams.iter().map(Vec::len).sum());
        for postings in &trigrams {
            index.trigram_starts.push(index.trigram_names.len() as u32);
            index.trigram_names.extend_from_slice(postings);
        }
        index.trigram_starts.push(index.trigram_names.len() as u32);
        index
    }

    /// The names having trigram `code`.
    fn trigram(&self, code: usize) -> &[u32] {
        match self.trigram_starts.get(code..code + 2) {
            Some(&[start, end]) => &self.trigram_names[start as usize..end as usize],
            _ => &[],
        }
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
        self.fuzzy_query(&Query::new(key), partial)
    }

    /// [`NameIndex::fuzzy`] for a query prepared once for several indexes.
    fn fuzzy_query(&self, query: &Query, partial: bool) -> Vec<(u32, f32)> {
        let candidates = self.candidates(query);
        self.fetch(&candidates);
        self.score(query, candidates.into_iter().map(|(name, _)| name), partial)
    }

    /// Reads each candidate's name, then its key and words, before any is scored. A keystroke
    /// usually finds them out of the processor's caches, and loads issued together are waited
    /// for together, where scoring one name after another waited for each in turn.
    fn fetch(&self, candidates: &[(u32, u16)]) {
        let mut sum = 0usize;
        for &(name, _) in candidates {
            sum = sum.wrapping_add(self.names[name as usize].key.len());
        }
        for &(name, _) in candidates {
            let name = &self.names[name as usize];
            sum = sum.wrapping_add(usize::from(
                name.key.as_bytes().first().copied().unwrap_or(0),
            ));
            if let Some(&(start, ..)) = name
                .words
                .and_then(|((from, _), _)| self.word_info.get(from as usize))
            {
                sum = sum.wrapping_add(usize::from(start));
            }
        }
        std::hint::black_box(sum);
    }

    /// The names sharing most trigrams with `query` (at most [`CANDIDATES`]), with how many.
    fn candidates(&self, query: &Query) -> Vec<(u32, u16)> {
        let key = query.whole.text;
        if key.len() < 3 || self.names.is_empty() {
            return Vec::new();
        }
        // A trigram most names have ("the", "of ") says little about which name is meant, and
        // at 100,000 names walking its tens of thousands of postings was most of a lookup: count
        // only the rarer ones, unless the query has nothing else.
        let common = COMMON_TRIGRAM.max(self.names.len() / 32);
        let codes: Vec<usize> = trigram_codes(key).collect();
        let rare = codes.iter().any(|&code| self.trigram(code).len() <= common);
        let mut candidates: Vec<(u32, u16)> = Vec::new();
        COUNTS.with_borrow_mut(|counts| {
            // Counted in a dense array, not a hash map: hashing every posting dominated.
            if counts.len() < self.names.len() {
                counts.resize(self.names.len(), 0);
            }
            for &code in &codes {
                let names = self.trigram(code);
                if rare && names.len() > common {
                    continue;
                }
                for &name in names {
                    let count = &mut counts[name as usize];
                    if *count == 0 {
                        candidates.push((name, 0));
                    }
                    *count = count.saturating_add(1);
                }
            }
            // Left zeroed for the next lookup: cheaper than zeroing them all each time.
            for candidate in &mut candidates {
                candidate.1 = std::mem::take(&mut counts[candidate.0 as usize]);
            }
        });
        if candidates.len() > CANDIDATES {
            candidates.select_nth_unstable_by(CANDIDATES, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            candidates.truncate(CANDIDATES);
        }
        candidates
    }

    /// How many trigrams `query` and name `name` share, relative to both their sizes (Dice's
    /// coefficient): comparable between names of different lengths, and so between kinds.
    fn overlap(&self, query: &Query, name: u32, shared: u16) -> f32 {
        let name_len = self.names[name as usize].bare().len();
        2.0 * f32::from(shared) / (query.whole.text.len() + name_len).max(1) as f32
    }

    /// Entries of `names` close to `query`, best first, each entry once.
    fn score(
        &self,
        query: &Query,
        names: impl Iterator<Item = u32>,
        partial: bool,
    ) -> Vec<(u32, f32)> {
        let mut scratch = Vec::with_capacity(query.words.len() * NAME_WORDS);
        let mut best: Vec<(u32, f32)> = Vec::new();
        for name in names {
            let name = &self.names[name as usize];
            // A name that cannot reach SUGGEST changes nothing below: it is dropped, or its
            // entry has a better name.
            let words = name.words.map(|((from, to), letters)| NameWords {
                name: name.bare(),
                words: &self.word_info[from as usize..to as usize],
                letters,
            });
            let Some(score) = similarity(
                query,
                name.bare(),
                words,
                name.significant,
                partial,
                &mut scratch,
            ) else {
                continue;
            };
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
        for w in self.starting_with(&key) {
            let name = &self.names[w.name as usize];
            let offset = w.offset;
            let at_start = offset == 0 || offset == u16::from(name.article);
            // It starts with the key, so it is the key if it is as long.
            if at_start && name.key.len() - usize::from(offset) == key.len() {
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

    /// The word starts whose text from there begins with `key`, in order: a run of
    /// `word_starts`, found by two binary searches. A key of up to [`HEAD`] bytes is found by
    /// the heads alone; a longer one reads names only where the heads are equal.
    fn starting_with(&self, key: &str) -> &[WordStart] {
        let from = |w: &WordStart| &self.names[w.name as usize].key[w.offset as usize..];
        let key_head = head(key);
        let short = key.len() <= HEAD;
        let start = self.word_starts.partition_point(|w| {
            w.head < key_head || (w.head == key_head && !short && from(w) < key)
        });
        // The bytes of a head that a short key fills (none for an empty key).
        let filled = u64::MAX
            .checked_shl(8 * (HEAD - key.len().min(HEAD)) as u32)
            .unwrap_or(0);
        let rest = &self.word_starts[start..];
        let len = rest.partition_point(|w| {
            if short {
                (w.head ^ key_head) & filled == 0
            } else {
                from(w).starts_with(key)
            }
        });
        &rest[..len]
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

/// A query prepared for comparing with many names: the whole key and each of its words as
/// [`Pattern`]s, built once per lookup rather than once per comparison.
struct Query<'a> {
    whole: Pattern<'a>,
    /// Each word, and whether it counts (stop words do not, unless the query is only one word).
    words: Vec<(Pattern<'a>, bool)>,
}

impl<'a> Query<'a> {
    fn new(key: &'a str) -> Query<'a> {
        let several = key.contains(' ');
        Query {
            whole: Pattern::new(key),
            words: key
                .split(' ')
                .map(|w| (Pattern::new(w), !(several && STOP_WORDS.contains(&w))))
                .collect(),
        }
    }

    /// The words that count, each with whether it may be unfinished: with `partial`, the last
    /// word of the query is still being typed.
    fn counted(&self, partial: bool) -> impl Iterator<Item = (&Pattern<'a>, bool)> + '_ {
        let last = self.words.len() - 1;
        self.words
            .iter()
            .enumerate()
            .filter(|(_, (_, counts))| *counts)
            .map(move |(i, (word, _))| (word, partial && i == last))
    }
}

/// The most words of a name whose letter sets are kept in the index; longer names are compared
/// without the bounds.
const NAME_WORDS: usize = 16;

/// One word of a name: its start and end in the name, its length in characters, and its letter
/// set.
type WordInfo = (u16, u16, u16, u64);

/// A name's words with their lengths and letter sets, for bounding similarities cheaply. Worked
/// out once for every name when the index is built: doing it for every name compared was a
/// good part of each comparison.
struct NameWords<'a> {
    name: &'a str,
    words: &'a [WordInfo],
    /// The letter set of the whole name.
    letters: u64,
}

impl<'a> NameWords<'a> {
    /// Appends `name`'s words to `out` and returns the name's letter set; `None` (and nothing
    /// appended) when it has more than [`NAME_WORDS`] words or is too long to index in `u16`.
    fn compute(name: &str, out: &mut Vec<WordInfo>) -> Option<u64> {
        let count = name.split(' ').count();
        if name.len() > usize::from(u16::MAX) || count > NAME_WORDS {
            return None;
        }
        let ascii = name.is_ascii();
        let mut letters = 0;
        let mut start = 0;
        for word in name.split(' ') {
            let set = letter_set(word);
            let len = if ascii {
                word.len()
            } else {
                word.chars().count()
            };
            let end = start + word.len();
            out.push((start as u16, end as u16, len as u16, set));
            letters |= set;
            start = end + 1;
        }
        // The spaces between the words are letters of the name too.
        if count > 1 {
            letters |= letter_set(" ");
        }
        Some(letters)
    }

    fn count(&self) -> usize {
        self.words.len()
    }

    /// Each word, its length in characters and its letter set.
    fn iter(&self) -> impl Iterator<Item = (&'a str, usize, u64)> + '_ {
        (0..self.count()).map(|n| self.get(n))
    }

    /// Word `n`, its length in characters and its letter set.
    fn get(&self, n: usize) -> (&'a str, usize, u64) {
        let (start, end, len, set) = self.words[n];
        (
            &self.name[usize::from(start)..usize::from(end)],
            usize::from(len),
            set,
        )
    }
}

/// The set of letters in `text`: a to z and 0 to 9 are bits 1 to 36 (see [`symbol`]); anything
/// else shares bit 63. Two texts' sets bound their edit distance from below: see [`bound`].
fn letter_set(text: &str) -> u64 {
    text.bytes().fold(0, |set, b| {
        let bit = if b.is_ascii_alphanumeric() {
            symbol(b.to_ascii_lowercase())
        } else if b == b' ' {
            0
        } else {
            63
        };
        set | 1 << bit
    })
}

/// At least the similarity ([`Pattern::similarity`]) of a text `a_len` characters long with
/// letters `a_set` and one `b_len` long with letters `b_set`, in a few instructions. Every edit
/// adds at most one letter to a text and removes at most one, and a swap neither, so the
/// distance is at least the number of letters one has that the other lacks, and at least the
/// difference in length. Computed with the similarity's own arithmetic, so the bound holds in
/// floating point too. Letters that share a bit only make the bound looser.
fn bound(a_len: usize, a_set: u64, b_len: usize, b_set: u64) -> f32 {
    let missing = (a_set & !b_set)
        .count_ones()
        .max((b_set & !a_set).count_ones()) as usize;
    relative(a_len.abs_diff(b_len).max(missing), a_len.max(b_len))
}

/// The longest strings whose similarities are looked up in [`RELATIVE`].
const TABULATED: usize = 64;

/// `1 - distance / longest` for every length and distance up to [`TABULATED`], computed at
/// compile time with the same arithmetic as at run time: comparing names then takes no
/// division, which at about 15 cycles each was most of the cost of a lookup once distances
/// were cheap.
static RELATIVE: [[f32; TABULATED + 1]; TABULATED + 1] = relative_table();

const fn relative_table() -> [[f32; TABULATED + 1]; TABULATED + 1] {
    let mut table = [[1.0; TABULATED + 1]; TABULATED + 1];
    let mut longest = 1;
    while longest <= TABULATED {
        let mut distance = 0;
        while distance <= TABULATED {
            table[longest][distance] = 1.0 - distance as f32 / longest as f32;
            distance += 1;
        }
        longest += 1;
    }
    table
}

/// How alike two strings are whose longer one has `longest` characters and whose edit distance
/// is `distance`: 1 minus the distance relative to the longer string (1 for two empty strings).
fn relative(distance: usize, longest: usize) -> f32 {
    if longest == 0 {
        return 1.0;
    }
    match RELATIVE.get(longest).and_then(|row| row.get(distance)) {
        Some(&similarity) => similarity,
        None => 1.0 - distance as f32 / longest as f32,
    }
}

/// How alike a query and a name are, from 0 to 1: the better of whole-string similarity and
/// word-by-word similarity (each query word against its best name word), the latter scaled by how
/// much of the name (`significant` words) the query accounts for. `None` when it is below
/// [`SUGGEST`] (then it may not have been computed).
///
/// Most names a trigram shares with the query are nothing like it; upper bounds from lengths and
/// letter sets ([`bound`]) show that without computing an edit distance, and within a name,
/// skip words that cannot beat the best so far. Whatever is skipped could not have changed the
/// result.
fn similarity(
    query: &Query,
    name: &str,
    words: Option<NameWords>,
    significant: u8,
    partial: bool,
    scratch: &mut Vec<f32>,
) -> Option<f32> {
    // Keys are ASCII (see `text::fold`): then lengths are byte lengths, found without counting.
    let ascii = name.is_ascii();
    let len = |s: &str| if ascii { s.len() } else { s.chars().count() };
    // The bound of one query word against one name word (of `len` characters and letters `set`).
    let pair_bound = |q: &Pattern, last: bool, w: &str, w_len: usize, set: u64| {
        if last && w.starts_with(q.text) {
            return 1.0;
        }
        let full = bound(q.len, q.letters, w_len, set);
        if last && w.len() > q.text.len() {
            // The head's letters are some of the word's: the bound from them only loosens.
            let head = len(&w[..floor_char_boundary(w, q.text.len())]);
            full.max(bound(q.len, q.letters, head, set & q.letters) * 0.95)
        } else {
            full
        }
    };
    let query_key = query.whole.text;
    let cut = (partial && name.len() > query_key.len())
        .then(|| floor_char_boundary(name, query_key.len()));
    let whole_bound = |letters: u64| match cut {
        Some(cut) => {
            let (q, q_set) = (query.whole.len, query.whole.letters);
            bound(q, q_set, len(&name[..cut]), letters & q_set).max(bound(
                q,
                q_set,
                len(name),
                letters,
            )) * 0.97
        }
        None => bound(query.whole.len, query.whole.letters, len(name), letters),
    };
    let whole = || match cut {
        Some(cut) => {
            let head = &name[..cut];
            query
                .whole
                .similarity(head, len(head), ascii)
                .max(query.whole.similarity(name, len(name), ascii))
                * 0.97
        }
        None => query.whole.similarity(name, len(name), ascii),
    };

    let mut total = 0.0;
    let mut matched = 0usize;
    let mut counted = 0usize;
    match &words {
        Some(words) => {
            // First the bound of every pair of words, kept, and whether the name can reach
            // SUGGEST at all.
            scratch.clear();
            let mut bound_total = 0.0;
            for (q, last) in query.counted(partial) {
                counted += 1;
                let mut best = 0.0f32;
                for (w, w_len, set) in words.iter() {
                    let b = pair_bound(q, last, w, w_len, set);
                    scratch.push(b);
                    best = best.max(b);
                }
                bound_total += best;
            }
            // The word score is at most the mean of the best bounds (its coverage factor is at
            // most 1), and the result is the better of it and the whole-string similarity.
            let by_words = if counted == 0 {
                0.0
            } else {
                bound_total / counted as f32
            };
            if by_words.max(whole_bound(words.letters)) < SUGGEST {
                return None;
            }
            if by_words < SUGGEST {
                // Only the whole string can reach SUGGEST, and then it is the result: one edit
                // distance instead of one for each pair of words. Whole-string bounds are weak
                // (long texts share most letters), so this is where most names are ruled out.
                let whole = whole();
                return (whole >= SUGGEST).then_some(whole);
            }
            // Then each query word's best name word, trying the most promising first and
            // stopping when no other can do better.
            for ((q, last), bounds) in query.counted(partial).zip(scratch.chunks(words.count())) {
                let mut order = [0u8; NAME_WORDS];
                for (n, slot) in order[..words.count()].iter_mut().enumerate() {
                    *slot = n as u8;
                }
                let order = &mut order[..words.count()];
                order.sort_unstable_by(|&a, &b| {
                    bounds[usize::from(b)].total_cmp(&bounds[usize::from(a)])
                });
                let mut best = 0.0f32;
                for &n in order.iter() {
                    if bounds[usize::from(n)] <= best {
                        break;
                    }
                    let (w, _, _) = words.get(usize::from(n));
                    best = best.max(word_similarity(q, w, last, ascii));
                }
                if best >= CONFIDENT {
                    matched += 1;
                }
                total += best;
            }
        }
        None => {
            for (q, last) in query.counted(partial) {
                counted += 1;
                let mut best = 0.0f32;
                for w in name.split(' ') {
                    // Without letter sets, the query word's own: then only lengths bound.
                    if best < 1.0 && pair_bound(q, last, w, len(w), q.letters) > best {
                        best = best.max(word_similarity(q, w, last, ascii));
                    }
                }
                if best >= CONFIDENT {
                    matched += 1;
                }
                total += best;
            }
        }
    }
    let score = if counted == 0 {
        whole()
    } else {
        let mean = total / counted as f32;
        let coverage = (matched as f32 / f32::from(significant)).min(1.0);
        let by_words = mean * (0.85 + 0.15 * coverage);
        // Without letter sets, the query's own letters: then only lengths bound.
        let letters = words.as_ref().map_or(query.whole.letters, |w| w.letters);
        if whole_bound(letters) <= by_words {
            by_words
        } else {
            whole().max(by_words)
        }
    };
    (score >= SUGGEST).then_some(score)
}

/// How alike a query word and a word of a name are; with `partial`, the query word may be the
/// start of the name's word.
fn word_similarity(query: &Pattern, word: &str, partial: bool, ascii: bool) -> f32 {
    if partial && word.starts_with(query.text) {
        return 1.0;
    }
    let len = |s: &str| if ascii { s.len() } else { s.chars().count() };
    let full = query.similarity(word, len(word), ascii);
    if partial && word.len() > query.text.len() {
        let head = &word[..floor_char_boundary(word, query.text.len())];
        full.max(query.similarity(head, len(head), ascii) * 0.95)
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

/// A string to compare with many others by optimal string alignment distance (edits, including
/// swapping two neighbours, as in "pyscho"). For up to 64 of the characters keys are made of (a
/// to z, 0 to 9 and space: see [`text::fold`]) it uses the bit-parallel algorithm of Hyyrö
/// (2003), one machine word per character of the other string, instead of filling a table of
/// |a|·|b| cells; edit distances were most of the cost of every typo lookup.
struct Pattern<'a> {
    text: &'a str,
    /// Its length in characters.
    len: usize,
    /// Its letters (see [`letter_set`]).
    letters: u64,
    /// For each [`SLOT`], the bit set of its positions in `text`; `None` when `text` is empty,
    /// longer than a word, or has characters other than those of keys.
    positions: Option<[u64; SLOTS]>,
}

/// Slots of the bit-parallel tables: space, a to z, 0 to 9 (as in [`symbol`]), and one for any
/// other byte, which no pattern has, so it matches nothing.
const SLOTS: usize = ALPHABET + 1;

/// The [`Pattern`] slot of every byte.
static SLOT: [u8; 256] = slot_table();

const fn slot_table() -> [u8; 256] {
    let mut table = [ALPHABET as u8; 256];
    table[b' ' as usize] = 0;
    let mut b = b'a';
    while b <= b'z' {
        table[b as usize] = b - b'a' + 1;
        b += 1;
    }
    let mut b = b'0';
    while b <= b'9' {
        table[b as usize] = b - b'0' + 27;
        b += 1;
    }
    table
}

impl<'a> Pattern<'a> {
    fn new(text: &'a str) -> Pattern<'a> {
        let keyish = text
            .bytes()
            .all(|b| usize::from(SLOT[usize::from(b)]) < ALPHABET);
        let positions = (keyish && !text.is_empty() && text.len() <= 64).then(|| {
            let mut positions = [0u64; SLOTS];
            for (i, &c) in text.as_bytes().iter().enumerate() {
                positions[usize::from(SLOT[usize::from(c)])] |= 1 << i;
            }
            positions
        });
        let len = if text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        };
        Pattern {
            text,
            len,
            letters: letter_set(text),
            positions,
        }
    }

    /// The optimal string alignment distance from `other` (which is ASCII if `ascii`), exactly
    /// as `strsim::osa_distance` computes it.
    fn distance(&self, other: &str, ascii: bool) -> usize {
        let Some(positions) = self.positions.as_ref().filter(|_| ascii) else {
            return strsim::osa_distance(self.text, other);
        };
        let last = 1u64 << (self.text.len() - 1);
        let mut distance = self.text.len();
        let (mut vp, mut vn, mut d0, mut previous) = (!0u64, 0u64, 0u64, 0u64);
        for &c in other.as_bytes() {
            let pm = positions[usize::from(SLOT[usize::from(c)])];
            // Where the pattern and `other` have two neighbours swapped.
            let transposed = ((!d0 & pm) << 1) & previous;
            d0 = (((pm & vp).wrapping_add(vp)) ^ vp) | pm | vn | transposed;
            let hp = vn | !(d0 | vp);
            let hn = d0 & vp;
            // Branch-free: which way the last row moves is data, and mispredicts cost more.
            distance += usize::from(hp & last != 0);
            distance -= usize::from(hn & last != 0);
            let hp = (hp << 1) | 1;
            let hn = hn << 1;
            vp = hn | !(d0 | hp);
            vn = hp & d0;
            previous = pm;
        }
        distance
    }

    /// 1 minus the distance from `other` (`len` characters long, ASCII if `ascii`) relative to
    /// the longer string: 1 for equal strings, 0 for nothing in common.
    fn similarity(&self, other: &str, len: usize, ascii: bool) -> f32 {
        relative(self.distance(other, ascii), self.len.max(len))
    }
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
    fn names_with_the_same_words_from_a_match_on_are_listed_alphabetically() {
        // "king" starts a word of each, and from there each reads "king": they are listed by
        // name, without its article.
        let films = index(&[
            ("The Return of the King", &[]),
            ("The Lion King", &[]),
            ("Kong King", &[]),
            ("A Zebra King", &[]),
        ]);
        assert_eq!(films.complete("king", 25), [2, 1, 0, 3]);
    }

    #[test]
    fn word_starts_found_by_their_first_bytes_are_the_ones_a_scan_finds() {
        // Names sharing their first eight bytes and more, and shorter than eight.
        let films = index(&[
            ("Lighthouse of Berlin", &["Lighthouses"]),
            ("The Lighthouse", &["Lighthous"]),
            ("Light", &["Lighthouse in Paris", "Lighthouse"]),
            ("Paris Lighthouse Keeper", &[]),
            ("A", &["Ab", "Abc Abcdefgh Abcdefghi"]),
        ]);
        let from = |w: &WordStart| &films.names[w.name as usize].key[w.offset as usize..];
        assert!(
            films
                .word_starts
                .windows(2)
                .all(|p| from(&p[0]) <= from(&p[1]))
        );
        let mut keys: Vec<String> = ["", "lighthousez", "lighthouse z", "zz", "b", "abcdefghij"]
            .map(String::from)
            .to_vec();
        for w in &films.word_starts {
            let text = from(w);
            keys.extend((1..=text.len()).map(|len| text[..len].to_string()));
        }
        for key in &keys {
            let found: Vec<(u32, u16)> = films
                .starting_with(key)
                .iter()
                .map(|w| (w.name, w.offset))
                .collect();
            let scanned: Vec<(u32, u16)> = films
                .word_starts
                .iter()
                .filter(|w| from(w).starts_with(key.as_str()))
                .map(|w| (w.name, w.offset))
                .collect();
            assert_eq!(found, scanned, "{key:?}");
        }
    }

    #[test]
    fn pattern_distance_is_strsims_osa_distance() {
        let check = |a: &str, b: &str| {
            let pattern = Pattern::new(a);
            let ascii = b.is_ascii();
            assert_eq!(
                pattern.distance(b, ascii),
                strsim::osa_distance(a, b),
                "{a:?} {b:?}"
            );
            let len = b.chars().count();
            let (a_set, b_set) = (letter_set(a), letter_set(b));
            assert!(
                bound(a.chars().count(), a_set, len, b_set) >= pattern.similarity(b, len, ascii),
                "{a:?} {b:?}"
            );
        };
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "psycho",
            "pyscho",
            "psyco",
            "herrmann",
            "hermann",
            "zimmer",
            "zimer",
            "abcdef",
            "badcfe",
            "the dark knight",
            "dark knigth",
            "ca",
            "abc",
            "acb",
            "leitmotif",
            "lietmotif",
            "amelie",
            "am\u{e9}lie",
            "\u{1f3b5}x",
            "x\u{1f3b5}",
            "Psycho",
            "e.t.",
            "et",
            "a-b",
            "a b",
            "ab-",
            "{|}",
            "~~",
            "the lord of the rings the fellowship of the ring and a title longer than a word",
            "the lord of the rings the fellowship of the ring and a title longer than a wrod",
        ];
        for a in words {
            for b in words {
                check(a, b);
            }
        }
        // Every pair of strings of up to five letters over a small alphabet, where swaps and
        // repeats abound.
        let alphabet = ['a', 'b', 'c', ' '];
        let all: Vec<String> = (0..6u32)
            .flat_map(|len| {
                (0..4usize.pow(len)).map(move |mut n| {
                    (0..len)
                        .map(|_| {
                            let c = alphabet[n % 4];
                            n /= 4;
                            c
                        })
                        .collect()
                })
            })
            .collect();
        for a in &all {
            for b in &all {
                check(a, b);
            }
        }
    }

    /// The similarity as first written: every edit distance computed, by strsim.
    fn reference_similarity(query: &str, name: &str, partial: bool) -> f32 {
        let osa = |a: &str, b: &str| {
            let longest = a.chars().count().max(b.chars().count());
            if longest == 0 {
                return 1.0;
            }
            1.0 - strsim::osa_distance(a, b) as f32 / longest as f32
        };
        let word = |q: &str, w: &str, partial: bool| {
            if partial && w.starts_with(q) {
                return 1.0;
            }
            let full = osa(q, w);
            if partial && w.len() > q.len() {
                full.max(osa(q, &w[..floor_char_boundary(w, q.len())]) * 0.95)
            } else {
                full
            }
        };
        let whole = if partial && name.len() > query.len() {
            let cut = floor_char_boundary(name, query.len());
            osa(query, &name[..cut]).max(osa(query, name)) * 0.97
        } else {
            osa(query, name)
        };
        let query_words: Vec<&str> = query.split(' ').collect();
        let name_words: Vec<&str> = name.split(' ').collect();
        let significant = name_words
            .iter()
            .filter(|w| !STOP_WORDS.contains(w))
            .count()
            .max(1);
        let (mut total, mut matched, mut counted) = (0.0, 0usize, 0usize);
        for (i, q) in query_words.iter().enumerate() {
            if STOP_WORDS.contains(q) && query_words.len() > 1 {
                continue;
            }
            counted += 1;
            let last = partial && i + 1 == query_words.len();
            let best = name_words
                .iter()
                .map(|w| word(q, w, last))
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

    #[test]
    fn similarity_skips_only_what_cannot_matter() {
        let names = [
            "danny elfman",
            "john williams",
            "jerry goldsmith",
            "jonny greenwood",
            "dark knight",
            "good the bad and the ugly",
            "lord of the rings the fellowship of the ring",
            "psycho",
            "leitmotif",
            "star wars",
            "et the extra terrestrial",
            "amelie",
            "am\u{e9}lie",
            "once upon a time in the west",
            "2001 a space odyssey",
            "a b c d e f g h i j k l m n o p q r s t u v w x y z",
        ];
        let mut queries: Vec<String> = Vec::new();
        for name in names {
            let chars: Vec<char> = name.chars().collect();
            for n in 1..=chars.len().min(14) {
                queries.push(chars[..n].iter().collect());
            }
            // One slip at each position: dropped, doubled, swapped.
            for i in 0..chars.len() {
                let mut dropped = chars.clone();
                dropped.remove(i);
                queries.push(dropped.into_iter().collect());
                let mut doubled = chars.clone();
                doubled.insert(i, chars[i]);
                queries.push(doubled.into_iter().collect());
                if i + 1 < chars.len() {
                    let mut swapped = chars.clone();
                    swapped.swap(i, i + 1);
                    queries.push(swapped.into_iter().collect());
                }
            }
        }
        queries.extend(
            [
                "who won the game last night",
                "jonny g",
                "the",
                "of the",
                "zzz",
            ]
            .map(String::from),
        );
        for query in &queries {
            let prepared = Query::new(query);
            for name in names {
                let significant = name
                    .split(' ')
                    .filter(|w| !STOP_WORDS.contains(w))
                    .count()
                    .clamp(1, 255) as u8;
                for partial in [false, true] {
                    let expected = reference_similarity(query, name, partial);
                    let expected = (expected >= SUGGEST).then_some(expected);
                    let mut info = Vec::new();
                    let words = NameWords::compute(name, &mut info).map(|letters| NameWords {
                        name,
                        words: &info,
                        letters,
                    });
                    let got = similarity(
                        &prepared,
                        name,
                        words,
                        significant,
                        partial,
                        &mut Vec::new(),
                    );
                    assert_eq!(got, expected, "{query:?} / {name:?} partial {partial}");
                }
            }
        }
    }

    #[test]
    fn the_table_holds_what_run_time_arithmetic_gives() {
        for longest in 1..=TABULATED + 3 {
            for distance in 0..=longest {
                let computed = 1.0
                    - std::hint::black_box(distance) as f32 / std::hint::black_box(longest) as f32;
                assert_eq!(relative(distance, longest).to_bits(), computed.to_bits());
            }
        }
        assert_eq!(relative(0, 0), 1.0);
    }

    #[test]
    fn trigrams_cover_every_position() {
        assert_eq!(trigram_codes("ab").count(), 2);
        assert_eq!(trigram_codes("abc").count(), 3);
    }
}
