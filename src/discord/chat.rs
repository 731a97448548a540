//! Questions in chat. The bot answers when it is addressed (a DM, a mention, a reply to one of its
//! answers, or the command prefix), and in channels that opted in, only questions it is sure
//! about. Every message the bot can see passes through [`on_message`], so the common case, a
//! message not for the bot, is decided before any real work.

use std::sync::Arc;

use poise::serenity_prelude as serenity;

use super::{Error, State, convert};
use crate::question::{Form, might_be_question};

/// Handles one chat message.
pub async fn on_message(
    ctx: &serenity::Context,
    state: &Arc<State>,
    message: &serenity::Message,
) -> Result<(), Error> {
    if message.author.bot || message.content.is_empty() {
        return Ok(());
    }
    let Some(bot) = state.bot_user() else {
        return Ok(());
    };
    let config = state.config();
    let text = message.content.trim();
    let prefixed = !config.prefix.is_empty() && text.starts_with(&config.prefix);
    let addressed = message.guild_id.is_none()
        || message.mentions.iter().any(|user| user.id == bot)
        || message
            .referenced_message
            .as_ref()
            .is_some_and(|m| m.author.id == bot);
    // The cheap test first: most chat is not a question, and then nothing else is looked at.
    let for_us = addressed || prefixed || (might_be_question(text) && opted_in(state, message));
    if !for_us {
        return Ok(());
    }

    let question = without_mentions_of(text, bot);
    let question = match question
        .strip_prefix(config.prefix.as_str())
        .filter(|_| prefixed)
    {
        Some(command) => format!("/{command}"),
        None => question,
    };
    let knowledge = state.knowledge(message.guild_id);
    // Rendered only once it is sure to be sent.
    let (parsed, answer) = if addressed || prefixed {
        state.engine().understand(&knowledge, &question)
    } else {
        match state.engine().understand_unasked(&knowledge, &question) {
            Some(understood) => understood,
            None => return Ok(()),
        }
    };
    if prefixed && !addressed && parsed.form != Form::Command {
        // Another bot's command with the same prefix.
        return Ok(());
    }
    // Keyed by what was understood: the same question in other words is the same question.
    if state.already_answered(message.channel_id.get(), parsed.question) {
        tracing::debug!(
            channel = message.channel_id.get(),
            "same question answered moments ago"
        );
        return Ok(());
    }
    let reply = state.engine().render(&knowledge, &answer);
    ctx.http
        .send_message(
            message.channel_id,
            Vec::new(),
            &convert::chat_answer(&reply, message),
        )
        .await?;
    Ok(())
}

/// Whether the operator or the server's moderators asked for unasked answers in this channel.
fn opted_in(state: &State, message: &serenity::Message) -> bool {
    let config = state.config();
    let channel = message.channel_id.get();
    message.guild_id.is_some_and(|guild| {
        config.chat_guilds.contains(&guild.get())
            || config.chat_channels.contains(&channel)
            || state.curator().chat_enabled(guild.get(), channel)
    })
}

/// `text` without mentions of the bot (`<@id>`, `<@!id>`), each read as a space, trimmed. One
/// pass and one string: every addressed message goes through here.
fn without_mentions_of(text: &str, bot: serenity::UserId) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<@") {
        let after = &rest[start + 2..];
        let id = after.strip_prefix('!').unwrap_or(after);
        let end = id.find('>').filter(|&end| {
            end > 0
                && id[..end].bytes().all(|b| b.is_ascii_digit())
                && id[..end].parse() == Ok(bot.get())
        });
        match end {
            Some(end) => {
                out.push_str(&rest[..start]);
                out.push(' ');
                rest = &id[end + 1..];
            }
            None => {
                out.push_str(&rest[..start + 2]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let trimmed = out.trim();
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_bots_own_mentions_are_taken_out() {
        let bot = serenity::UserId::new(900);
        for (text, expected) in [
            ("<@900> who scored psycho?", "who scored psycho?"),
            ("<@!900> who scored psycho?", "who scored psycho?"),
            ("who scored <@900> psycho", "who scored   psycho"),
            ("<@900><@!900>", ""),
            (
                "<@9000> hi <@90> <@!> <@> <@+900> <@900",
                "<@9000> hi <@90> <@!> <@> <@+900> <@900",
            ),
            ("ask <@123> and <@900>", "ask <@123> and"),
            ("no mention at all", "no mention at all"),
            ("  <@900>  Ennio  ", "Ennio"),
        ] {
            assert_eq!(without_mentions_of(text, bot), expected, "{text}");
        }
    }
}
