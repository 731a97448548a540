//! The knowledge files' format, exactly as people write it: every field the loader checks keeps
//! where it was written, so a problem can be reported as `file:line:column`.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value together with the line and column it was written at (both 1-based; 0 when the value
/// did not come from a file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value itself.
    pub value: T,
    /// 1-based line, 0 if unknown.
    pub line: u32,
    /// 1-based column, 0 if unknown.
    pub column: u32,
}

impl<T> Located<T> {
    /// A value that was not read from a file (for example one a moderator typed).
    pub fn new(value: T) -> Self {
        Located {
            value,
            line: 0,
            column: 0,
        }
    }
}

impl<T> From<T> for Located<T> {
    fn from(value: T) -> Self {
        Located::new(value)
    }
}

/// In a knowledge file, the value alone, its place taken from the parser. In the binary parse
/// cache (the only format that is not human-readable), the value with its line and column, so a
/// problem found in an entry read from the cache points where one found in the file would.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if !deserializer.is_human_readable() {
            let (value, line, column) = <(T, u32, u32)>::deserialize(deserializer)?;
            return Ok(Located {
                value,
                line,
                column,
            });
        }
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        let at = spanned.referenced;
        Ok(Located {
            value: spanned.value,
            line: u32::try_from(at.line()).unwrap_or(u32::MAX),
            column: u32::try_from(at.column()).unwrap_or(u32::MAX),
        })
    }
}

impl<T: Serialize> Serialize for Located<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !serializer.is_human_readable() {
            return (&self.value, self.line, self.column).serialize(serializer);
        }
        self.value.serialize(serializer)
    }
}

impl<T: JsonSchema> JsonSchema for Located<T> {
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// Text as written in a knowledge file.
pub type Text = Located<String>;

/// A film: `films/<id>.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Film",
    description = "A film and its music (knowledge/films/<id>.yaml)"
)]
pub struct FilmSource {
    /// The title as commonly written.
    #[schemars(length(min = 1, max = 100))]
    pub title: Text,
    /// Year of release.
    #[schemars(range(min = 1888, max = 2030))]
    pub year: Located<u16>,
    /// Who directed it.
    #[schemars(length(min = 1, max = 5))]
    pub directors: Vec<Text>,
    /// Ids of the composers of its original music (files in composers/).
    pub composers: Vec<Text>,
    /// Whether the film has an original score, a soundtrack compiled from existing music, or both.
    pub music: Located<MusicKind>,
    /// What the music is like and why it matters, in two to five sentences.
    #[schemars(length(min = 1, max = 1200))]
    pub summary: Text,
    /// Other names people use for the film.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 20))]
    pub aliases: Vec<Text>,
    /// Notable cues and themes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 25))]
    pub cues: Vec<CueSource>,
    /// Notable songs heard in the film.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 50))]
    pub songs: Vec<SongSource>,
    /// The released album.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub album: Option<Text>,
    /// Awards for the film's music.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 25))]
    pub awards: Vec<AwardSource>,
    /// URLs that support this entry (required in the shipped knowledge).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 10))]
    pub sources: Vec<Text>,
}

/// What kind of music a film has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MusicKind {
    /// Music written for the film.
    OriginalScore,
    /// Existing recordings chosen for the film, and no original score.
    CompiledSoundtrack,
    /// An original score alongside existing songs.
    Both,
}

/// A notable cue or theme.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CueSource {
    /// The cue's title.
    #[schemars(length(min = 1, max = 100))]
    pub title: Text,
    /// What it is and where it plays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 300))]
    pub note: Option<Text>,
}

/// A song heard in a film.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SongSource {
    /// The song's title.
    #[schemars(length(min = 1, max = 100))]
    pub title: Text,
    /// Who performs it in the film.
    #[schemars(length(min = 1, max = 100))]
    pub performer: Text,
    /// Who wrote it, where that matters (a cover, a standard).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 100))]
    pub writer: Option<Text>,
    /// Anything worth knowing about its use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 300))]
    pub note: Option<Text>,
}

/// An award (or nomination) for music.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardSource {
    /// The award and category, e.g. "Academy Award for Best Original Score".
    #[schemars(length(min = 1, max = 150))]
    pub award: Text,
    /// The year the award was given (the ceremony year).
    #[schemars(range(min = 1900, max = 2030))]
    pub year: Located<u16>,
    /// Whether it was won or only nominated.
    pub result: Located<AwardResult>,
    /// The song or piece it was for, when not the whole score (for a composer: the film).
    #[serde(default, rename = "for", skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 100))]
    pub work: Option<Text>,
    /// Composer ids who received it, when not all the film's composers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipients: Option<Vec<Text>>,
}

/// Won or nominated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AwardResult {
    /// The award was won.
    Won,
    /// Nominated, not won.
    Nominated,
}

/// A composer: `composers/<id>.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Composer",
    description = "A film composer (knowledge/composers/<id>.yaml)"
)]
pub struct ComposerSource {
    /// The name as commonly written, with its accents.
    #[schemars(length(min = 1, max = 100))]
    pub name: Text,
    /// Year of birth (required in the shipped knowledge; a server's own entries may omit it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1800, max = 2030))]
    pub born: Option<Located<u16>>,
    /// Year of death.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1800, max = 2030))]
    pub died: Option<Located<u16>>,
    /// Other names people use.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 20))]
    pub aliases: Vec<Text>,
    /// Who they are, in two to five sentences.
    #[schemars(length(min = 1, max = 1200))]
    pub bio: Text,
    /// Notable scores for films that have no entry in films/.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 25))]
    pub other_scores: Vec<WorkSource>,
    /// Awards not already recorded on one of their films.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 25))]
    pub awards: Vec<AwardSource>,
    /// URLs that support this entry (required in the shipped knowledge).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 10))]
    pub sources: Vec<Text>,
}

/// A score for a film that has no entry of its own.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkSource {
    /// The film's title.
    #[schemars(length(min = 1, max = 100))]
    pub title: Text,
    /// The film's year.
    #[schemars(range(min = 1888, max = 2030))]
    pub year: Located<u16>,
}

/// A glossary term: `terms/<id>.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Term",
    description = "A film-music term (knowledge/terms/<id>.yaml)"
)]
pub struct TermSource {
    /// The term as usually written.
    #[schemars(length(min = 1, max = 100))]
    pub term: Text,
    /// Other names and spellings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 20))]
    pub aliases: Vec<Text>,
    /// What it means, in two to four sentences.
    #[schemars(length(min = 1, max = 1200))]
    pub definition: Text,
    /// Ids of related terms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 10))]
    pub related: Vec<Text>,
    /// Ids of films that show the term well.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 10))]
    pub examples: Vec<Text>,
    /// How this term differs from another, keyed by the other term's id.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub distinctions: std::collections::BTreeMap<String, Text>,
    /// URLs that support this entry (required in the shipped knowledge).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 10))]
    pub sources: Vec<Text>,
}
