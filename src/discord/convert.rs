//! Replies as Discord's API reads them. Every message the bot sends goes through here, with
//! `allowed_mentions` empty so that nothing, not even text quoted from a user, can ping.
//!
//! An answer is serialized straight from the [`Reply`] into the request body, borrowing its
//! text: copying it into serenity's builders first and serializing those took about a quarter
//! longer with the processor's caches cold, as they are when a message wakes the bot, and twice
//! as long with them warm (BENCHMARKS.md, End to end).

use poise::serenity_prelude as serenity;
use serde::Serialize;

use crate::reply::json::{ActionRowJson, ButtonJson, EPHEMERAL, EmbedJson};
use crate::reply::{Link, MAX_BUTTONS, Reply};

/// Custom id of the button that deletes an answer, followed by the asker's user id.
pub const DELETE_PREFIX: &str = "lm-delete:";

/// No one is pinged, whatever the text says.
pub fn no_pings() -> serenity::CreateAllowedMentions {
    serenity::CreateAllowedMentions::new()
        .empty_users()
        .empty_roles()
        .everyone(false)
        .replied_user(false)
}

/// An answer to an interaction (a slash command or a button): a message in reply to it.
#[derive(Debug, Serialize)]
pub struct InteractionAnswer<'a> {
    #[serde(rename = "type")]
    kind: u8,
    data: AnswerMessage<'a>,
}

/// An answer as a message: its embed, its buttons, and whom it pings (no one).
#[derive(Debug, Serialize)]
pub struct AnswerMessage<'a> {
    embeds: [EmbedJson<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    components: Option<[ActionRowJson<'a>; 1]>,
    allowed_mentions: serenity::CreateAllowedMentions,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_reference: Option<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flags: Option<u64>,
}

/// A reply to a slash command or button, seen only by whoever used it when `ephemeral` (or when
/// the reply is private).
pub fn interaction_answer(reply: &Reply, ephemeral: bool) -> InteractionAnswer<'_> {
    /// Discord's interaction response type for a message.
    const CHANNEL_MESSAGE: u8 = 4;
    let mut data = message(reply, buttons(&reply.links, None));
    data.flags = Some(if ephemeral || reply.private {
        EPHEMERAL
    } else {
        0
    });
    InteractionAnswer {
        kind: CHANNEL_MESSAGE,
        data,
    }
}

/// A chat message answering `question` (a reply to it), deletable by its asker.
pub fn chat_answer<'a>(reply: &'a Reply, question: &serenity::Message) -> AnswerMessage<'a> {
    let mut answer = message(reply, buttons(&reply.links, Some(question.author.id)));
    answer.message_reference = Some(Reference {
        message_id: question.id,
        channel_id: question.channel_id,
        guild_id: question.guild_id,
    });
    answer
}

fn message<'a>(reply: &'a Reply, buttons: Vec<ButtonJson<'a>>) -> AnswerMessage<'a> {
    AnswerMessage {
        embeds: [EmbedJson::of(&reply.embed)],
        components: (!buttons.is_empty()).then(|| [ActionRowJson::of(buttons)]),
        allowed_mentions: no_pings(),
        message_reference: None,
        flags: None,
    }
}

/// The buttons for `links`, plus a delete button for `asker` when given: one row, at most five.
fn buttons(links: &[Link], asker: Option<serenity::UserId>) -> Vec<ButtonJson<'_>> {
    let room = MAX_BUTTONS - usize::from(asker.is_some());
    let mut buttons: Vec<ButtonJson> = links.iter().take(room).map(ButtonJson::link).collect();
    if let Some(asker) = asker {
        buttons.push(ButtonJson::danger(
            format!("{DELETE_PREFIX}{asker}"),
            "Delete",
        ));
    }
    buttons
}

/// The message a chat answer replies to.
#[derive(Debug, Serialize)]
struct Reference {
    message_id: serenity::MessageId,
    channel_id: serenity::ChannelId,
    #[serde(skip_serializing_if = "Option::is_none")]
    guild_id: Option<serenity::GuildId>,
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::reply::{Embed, Field, Target};

    fn reply(links: usize, private: bool) -> Reply {
        Reply {
            embed: Embed {
                title: "Psycho (1960)".into(),
                url: None,
                description: "**Bernard Herrmann** composed the score.".into(),
                fields: vec![Field {
                    name: "Composer".into(),
                    value: "Bernard Herrmann".into(),
                    inline: true,
                }],
                footer: String::new(),
                colour: 0xb03a2e,
            },
            links: (0..links)
                .map(|n| Link {
                    label: format!("Film {n}"),
                    target: Target::Score(format!("film-{n}")),
                })
                .collect(),
            private,
            answered: true,
        }
    }

    fn question() -> serenity::Message {
        serde_json::from_value(json!({
            "id": "5", "channel_id": "101", "guild_id": "100",
            "author": {"id": "7", "username": "alice", "discriminator": "0", "avatar": null},
            "content": "<@900> who scored psycho", "timestamp": "2026-11-26T10:00:00+00:00",
            "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [],
            "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0
        }))
        .expect("a message")
    }

    fn json_of(body: &impl Serialize) -> Value {
        serde_json::to_value(body).expect("serializes")
    }

    #[test]
    fn a_chat_answer_replies_to_the_question_pings_no_one_and_can_be_deleted() {
        let reply = reply(5, false);
        let body = json_of(&chat_answer(&reply, &question()));
        assert_eq!(
            body["message_reference"],
            json!({"message_id": "5", "channel_id": "101", "guild_id": "100"})
        );
        assert_eq!(
            body["allowed_mentions"],
            json!({"parse": [], "users": [], "roles": [], "replied_user": false})
        );
        let embed = &body["embeds"][0];
        assert_eq!(embed["title"], "Psycho (1960)");
        assert_eq!(embed["color"], 0xb03a2e);
        assert_eq!(
            embed["fields"],
            json!([{"name": "Composer", "value": "Bernard Herrmann", "inline": true}])
        );
        // No footer or url when there is none: Discord refuses empty ones.
        assert!(embed.get("footer").is_none() && embed.get("url").is_none());
        let buttons = body["components"][0]["components"]
            .as_array()
            .expect("a row of buttons");
        assert_eq!(body["components"][0]["type"], 1);
        assert_eq!(
            buttons.len(),
            MAX_BUTTONS,
            "four links and the delete button"
        );
        assert_eq!(
            buttons[0],
            json!({"type": 2, "style": 2, "custom_id": "lm:score:film-0", "label": "Film 0"})
        );
        assert_eq!(
            buttons[4],
            json!({"type": 2, "style": 4, "custom_id": "lm-delete:7", "label": "Delete"})
        );
        assert!(body.get("flags").is_none());
    }

    #[test]
    fn an_interaction_answer_is_a_message_private_when_asked_or_when_the_reply_is() {
        let public = reply(0, false);
        let body = json_of(&interaction_answer(&public, false));
        assert_eq!(body["type"], 4);
        assert_eq!(body["data"]["flags"], 0);
        assert!(body["data"].get("components").is_none(), "no empty row");
        assert!(body["data"].get("message_reference").is_none());
        assert_eq!(
            json_of(&interaction_answer(&public, true))["data"]["flags"],
            64
        );
        let private = reply(1, true);
        assert_eq!(
            json_of(&interaction_answer(&private, false))["data"]["flags"],
            64
        );
    }
}
