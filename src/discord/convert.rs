//! Replies in serenity's builders. Every message the bot sends goes through here, with
//! `allowed_mentions` empty so that nothing, not even text quoted from a user, can ping.

use poise::serenity_prelude as serenity;

use crate::reply::{Embed, Link, Reply};

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

/// The embed of a reply. Its text moves into the builder rather than being copied: a reply is
/// sent once.
pub fn embed(embed: Embed) -> serenity::CreateEmbed {
    let Embed {
        title,
        url,
        description,
        fields,
        footer,
        colour,
    } = embed;
    let mut built = serenity::CreateEmbed::new()
        .title(title)
        .description(description)
        .colour(colour);
    if let Some(url) = url {
        built = built.url(url);
    }
    for field in fields {
        built = built.field(field.name, field.value, field.inline);
    }
    if !footer.is_empty() {
        built = built.footer(serenity::CreateEmbedFooter::new(footer));
    }
    built
}

/// The buttons for `links`, plus a delete button for `asker` when given. One row: at most five.
pub fn buttons(
    links: Vec<Link>,
    asker: Option<serenity::UserId>,
) -> Vec<serenity::CreateActionRow> {
    let mut buttons: Vec<serenity::CreateButton> = links
        .into_iter()
        .map(|link| {
            serenity::CreateButton::new(link.target.custom_id())
                .label(link.label)
                .style(serenity::ButtonStyle::Secondary)
        })
        .collect();
    if let Some(asker) = asker {
        buttons.truncate(crate::reply::MAX_BUTTONS - 1);
        buttons.push(
            serenity::CreateButton::new(format!("{DELETE_PREFIX}{asker}"))
                .label("Delete")
                .style(serenity::ButtonStyle::Danger),
        );
    }
    if buttons.is_empty() {
        Vec::new()
    } else {
        vec![serenity::CreateActionRow::Buttons(buttons)]
    }
}

/// A reply to a slash command or button.
pub fn interaction_reply(reply: Reply, ephemeral: bool) -> poise::CreateReply {
    let private = reply.private;
    poise::CreateReply::default()
        .embed(embed(reply.embed))
        .components(buttons(reply.links, None))
        .ephemeral(ephemeral || private)
        .allowed_mentions(no_pings())
}

/// A chat message answering `question` (a reply to it), deletable by its asker.
pub fn chat_message(reply: Reply, question: &serenity::Message) -> serenity::CreateMessage {
    serenity::CreateMessage::new()
        .embed(embed(reply.embed))
        .components(buttons(reply.links, Some(question.author.id)))
        .reference_message(question)
        .allowed_mentions(no_pings())
}
