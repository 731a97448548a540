//! Button clicks: a link to a related entry answers with that entry (seen only by whoever
//! clicked, so one curious click does not post in the channel); the delete button removes an
//! answer, for the person who asked.

use std::sync::Arc;

use poise::serenity_prelude as serenity;

use super::{Error, State, convert};
use crate::answer::answer;
use crate::question::Question;
use crate::reply::Target;

/// Handles a click on one of the bot's buttons.
pub async fn on_click(
    ctx: &serenity::Context,
    state: &Arc<State>,
    click: &serenity::ComponentInteraction,
) -> Result<(), Error> {
    let custom_id = click.data.custom_id.as_str();
    if let Some(asker) = custom_id.strip_prefix(convert::DELETE_PREFIX) {
        return delete(ctx, click, asker).await;
    }
    let Some(target) = Target::from_custom_id(custom_id) else {
        tracing::debug!(custom_id, "a button that is not ours");
        return Ok(());
    };
    let question = match target {
        Target::Score(id) => Question::Score { film: id },
        Target::Soundtrack(id) => Question::Soundtrack { film: id },
        Target::Composer(id) => Question::Composer { name: id },
        Target::Define(id) => Question::Define { term: id },
    };
    let knowledge = state.knowledge(click.guild_id);
    let reply = state
        .engine()
        .render(&knowledge, &answer(&knowledge, &question));
    ctx.http
        .create_interaction_response(
            click.id,
            &click.token,
            &convert::interaction_answer(&reply, true),
            Vec::new(),
        )
        .await?;
    Ok(())
}

async fn delete(
    ctx: &serenity::Context,
    click: &serenity::ComponentInteraction,
    asker: &str,
) -> Result<(), Error> {
    let allowed = asker
        .parse::<u64>()
        .is_ok_and(|id| id == click.user.id.get());
    if !allowed {
        let message = serenity::CreateInteractionResponseMessage::new()
            .content("Only the person who asked can delete this answer.")
            .ephemeral(true)
            .allowed_mentions(convert::no_pings());
        click
            .create_response(
                &ctx.http,
                serenity::CreateInteractionResponse::Message(message),
            )
            .await?;
        return Ok(());
    }
    click
        .create_response(&ctx.http, serenity::CreateInteractionResponse::Acknowledge)
        .await?;
    click.message.delete(&ctx.http).await?;
    Ok(())
}
