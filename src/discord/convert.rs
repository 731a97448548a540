//! Replies in serenity's builders. Every message the bot sends goes through here, with
//! `allowed_mentions` empty so that nothing, not even text quoted from a user, can ping.

use poise::serenity_prelude as serenity;

use crate::reply::Reply;

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

/// The embed of a reply.
pub fn embed(reply: &Reply) -> serenity::CreateEmbed {
    let e = &reply.embed;
    let mut embed = serenity::CreateEmbed::new()
        .title(&e.title)
        .description(&e.description)
        .colour(e.colour);
    if let Some(url) = &e.url {
        embed = embed.url(url);
    }
    for field in &e.fields {
        embed = embed.field(field.name.as_ref(), &field.value, field.inline);
    }
    if !e.footer.is_empty() {
        embed = embed.footer(serenity::CreateEmbedFooter::new(&e.footer));
    }
    embed
}

/// The buttons of a reply, plus a delete button for `asker` when given. One row: at most five.
pub fn buttons(reply: &Reply, asker: Option<serenity::UserId>) -> Vec<serenity::CreateActionRow> {
    let mut buttons: Vec<serenity::CreateButton> = reply
        .links
        .iter()
        .map(|link| {
            serenity::CreateButton::new(link.target.custom_id())
                .label(&link.label)
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
pub fn interaction_reply(reply: &Reply, ephemeral: bool) -> poise::CreateReply {
    poise::CreateReply::default()
        .embed(embed(reply))
        .components(buttons(reply, None))
        .ephemeral(ephemeral || reply.private)
        .allowed_mentions(no_pings())
}

/// A chat message answering `question` (a reply to it), deletable by its asker.
pub fn chat_message(reply: &Reply, question: &serenity::Message) -> serenity::CreateMessage {
    serenity::CreateMessage::new()
        .embed(embed(reply))
        .components(buttons(reply, Some(question.author.id)))
        .reference_message(question)
        .allowed_mentions(no_pings())
}
