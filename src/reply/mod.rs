//! Replies: what the bot shows, as an embed-shaped structure that always fits Discord's limits,
//! plus links to related entries. [`render`] turns an [`Answer`] into a [`Reply`]; [`plain`] and
//! [`json`] print one for a terminal or in Discord's wire format.

use std::borrow::Cow;

pub mod json;
mod limits;
mod plain;
pub mod render;

pub use json::to_discord_json;
pub use limits::{
    MAX_BUTTON_LABEL, MAX_BUTTONS, MAX_DESCRIPTION, MAX_FIELD_NAME, MAX_FIELD_VALUE, MAX_FIELDS,
    MAX_FOOTER, MAX_TITLE, MAX_TOTAL,
};
pub use plain::to_plain_text;
pub use render::{render, render_with};

/// Embed colours, one per kind of reply, so a reply's kind shows at a glance.
pub mod colour {
    /// A film's score.
    pub const SCORE: u32 = 0xB03A2E;
    /// A film's songs.
    pub const SOUNDTRACK: u32 = 0xD68910;
    /// A composer.
    pub const COMPOSER: u32 = 0x7D3C98;
    /// A term or comparison.
    pub const TERM: u32 = 0x138D75;
    /// "I don't know" and "not film music".
    pub const UNKNOWN: u32 = 0x808B96;
    /// Help.
    pub const HELP: u32 = 0x2E4053;
}

/// A reply, ready to be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The embed.
    pub embed: Embed,
    /// One-click ways to related entries (buttons on Discord).
    pub links: Vec<Link>,
    /// Whether only the asker needs to see it ("did you mean", "I don't know").
    pub private: bool,
    /// Whether it answers the question (not "I don't know").
    pub answered: bool,
}

/// An embed: the same fields as Discord's, within its limits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Embed {
    /// Title, at most [`MAX_TITLE`].
    pub title: String,
    /// Where the title links to.
    pub url: Option<String>,
    /// Main text (Discord Markdown), at most [`MAX_DESCRIPTION`].
    pub description: String,
    /// Fields, at most [`MAX_FIELDS`].
    pub fields: Vec<Field>,
    /// Footer text, at most [`MAX_FOOTER`].
    pub footer: String,
    /// Side colour.
    pub colour: u32,
}

/// One embed field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Its name, at most [`MAX_FIELD_NAME`]: nearly always one of the renderer's own words, so
    /// not a copy.
    pub name: Cow<'static, str>,
    /// Its value (Discord Markdown), at most [`MAX_FIELD_VALUE`].
    pub value: String,
    /// Whether it may sit beside other inline fields.
    pub inline: bool,
}

/// A link to a related entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The button label, at most [`MAX_BUTTON_LABEL`].
    pub label: String,
    /// What it opens.
    pub target: Target,
}

/// What a link opens: a command on an entry id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `/score` of a film.
    Score(String),
    /// `/soundtrack` of a film.
    Soundtrack(String),
    /// `/composer`.
    Composer(String),
    /// `/define`.
    Define(String),
}

/// Prefix of the component ids the bot owns.
const CUSTOM_ID_PREFIX: &str = "lm";

impl Target {
    /// The command and the entry id.
    pub fn parts(&self) -> (&'static str, &str) {
        match self {
            Target::Score(id) => ("score", id),
            Target::Soundtrack(id) => ("soundtrack", id),
            Target::Composer(id) => ("composer", id),
            Target::Define(id) => ("define", id),
        }
    }

    /// The command a user would type for it: "/score psycho".
    pub fn command(&self) -> String {
        let (command, id) = self.parts();
        format!("/{command} {id}")
    }

    /// The id of a button for it (ids are at most 64 characters, so this stays within Discord's 100).
    pub fn custom_id(&self) -> String {
        let (command, id) = self.parts();
        format!("{CUSTOM_ID_PREFIX}:{command}:{id}")
    }

    /// The target of one of the bot's button ids.
    pub fn from_custom_id(custom_id: &str) -> Option<Target> {
        let mut parts = custom_id.splitn(3, ':');
        if parts.next()? != CUSTOM_ID_PREFIX {
            return None;
        }
        let command = parts.next()?;
        let id = parts.next()?.to_string();
        crate::knowledge::check_id(&id).ok()?;
        match command {
            "score" => Some(Target::Score(id)),
            "soundtrack" => Some(Target::Soundtrack(id)),
            "composer" => Some(Target::Composer(id)),
            "define" => Some(Target::Define(id)),
            _ => None,
        }
    }
}
