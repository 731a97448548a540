//! A reply in Discord's wire format: the body of a message create (or an interaction response's
//! `data`), with `allowed_mentions` set so nothing in it can ever ping anyone. The embed and
//! button shapes here are also what the bot sends.

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};
use serde_json::{Value, json};

use super::{Embed, Field, Link, Reply};

/// Discord's message flag for "only the person who invoked the command sees this".
pub const EPHEMERAL: u64 = 1 << 6;

/// The reply as a Discord message body.
pub fn to_discord_json(reply: &Reply) -> Value {
    let mut message = json!({
        "embeds": [EmbedJson::of(&reply.embed)],
        "allowed_mentions": { "parse": [] },
    });
    if !reply.links.is_empty() {
        let buttons: Vec<ButtonJson> = reply.links.iter().map(ButtonJson::link).collect();
        message["components"] = json!([ActionRowJson::of(buttons)]);
    }
    if reply.private {
        message["flags"] = json!(EPHEMERAL);
    }
    message
}

/// An embed as Discord reads it, borrowing the embed's text. Discord refuses an empty footer
/// or url, so those are left out when there is none.
#[derive(Debug, Serialize)]
pub struct EmbedJson<'a> {
    title: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    color: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    footer: Option<FooterJson<'a>>,
    fields: FieldsJson<'a>,
}

impl EmbedJson<'_> {
    /// `embed` in Discord's terms.
    pub fn of(embed: &Embed) -> EmbedJson<'_> {
        EmbedJson {
            title: &embed.title,
            description: &embed.description,
            url: embed.url.as_deref(),
            color: embed.colour,
            footer: (!embed.footer.is_empty()).then_some(FooterJson {
                text: &embed.footer,
            }),
            fields: FieldsJson(&embed.fields),
        }
    }
}

#[derive(Debug, Serialize)]
struct FooterJson<'a> {
    text: &'a str,
}

#[derive(Debug)]
struct FieldsJson<'a>(&'a [Field]);

impl Serialize for FieldsJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct FieldJson<'a> {
            name: &'a str,
            value: &'a str,
            inline: bool,
        }
        let mut fields = serializer.serialize_seq(Some(self.0.len()))?;
        for field in self.0 {
            fields.serialize_element(&FieldJson {
                name: &field.name,
                value: &field.value,
                inline: field.inline,
            })?;
        }
        fields.end()
    }
}

/// A row of buttons, Discord's only container for them.
#[derive(Debug, Serialize)]
pub struct ActionRowJson<'a> {
    #[serde(rename = "type")]
    kind: u8,
    components: Vec<ButtonJson<'a>>,
}

impl<'a> ActionRowJson<'a> {
    /// A row of `buttons` (Discord takes at most five).
    pub fn of(buttons: Vec<ButtonJson<'a>>) -> ActionRowJson<'a> {
        /// Discord's component type for a row.
        const ACTION_ROW: u8 = 1;
        ActionRowJson {
            kind: ACTION_ROW,
            components: buttons,
        }
    }
}

/// A button as Discord reads it.
#[derive(Debug, Serialize)]
pub struct ButtonJson<'a> {
    #[serde(rename = "type")]
    kind: u8,
    style: u8,
    custom_id: String,
    label: &'a str,
}

impl<'a> ButtonJson<'a> {
    /// Discord's component type for a button.
    const BUTTON: u8 = 2;

    /// The button for a link to a related entry (a grey one).
    pub fn link(link: &'a Link) -> ButtonJson<'a> {
        /// Discord's grey button style.
        const SECONDARY: u8 = 2;
        ButtonJson {
            kind: Self::BUTTON,
            style: SECONDARY,
            custom_id: link.target.custom_id(),
            label: &link.label,
        }
    }

    /// A button that deletes something (a red one).
    pub fn danger(custom_id: String, label: &'a str) -> ButtonJson<'a> {
        /// Discord's red button style.
        const DANGER: u8 = 4;
        ButtonJson {
            kind: Self::BUTTON,
            style: DANGER,
            custom_id,
            label,
        }
    }
}
