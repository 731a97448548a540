//! The slash commands and their autocomplete. Each command builds a [`Question`] and hands it to
//! the engine; what it says is decided there.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use poise::serenity_prelude as serenity;

use super::{Context, Error, State, chat, components, convert};
use crate::answer::answer;
use crate::knowledge::Kind;
use crate::question::Question;
use crate::reply::Reply;

/// Discord shows at most this many autocomplete choices.
const CHOICES: usize = 25;
/// Discord's limit on a choice's name and value.
const CHOICE_LEN: usize = 100;

/// The framework settings: commands, error handling, and the event handler for chat and buttons.
pub fn framework_options() -> poise::FrameworkOptions<Arc<State>, Error> {
    poise::FrameworkOptions {
        commands: vec![
            score(),
            soundtrack(),
            composer(),
            define(),
            ask(),
            help(),
            super::kb::kb(),
        ],
        allowed_mentions: Some(convert::no_pings()),
        // Mentions are questions, handled in `chat`; as a command prefix, each one only logged
        // a warning that no command has that name.
        prefix_options: poise::PrefixFrameworkOptions {
            mention_as_prefix: false,
            ..Default::default()
        },
        on_error: |error| Box::pin(on_error(error)),
        event_handler: |framework, event| Box::pin(on_event(framework, event)),
        ..Default::default()
    }
}

async fn on_event(
    framework: poise::FrameworkContext<'_, Arc<State>, Error>,
    event: &serenity::FullEvent,
) -> Result<(), Error> {
    let (ctx, state) = (framework.serenity_context, framework.user_data);
    state.set_bot_user(framework.bot_id());
    match event {
        serenity::FullEvent::Message { new_message } => {
            chat::on_message(ctx, state, new_message).await
        }
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(click),
        } => components::on_click(ctx, state, click).await,
        _ => Ok(()),
    }
}

async fn on_error(error: poise::FrameworkError<'_, Arc<State>, Error>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            tracing::error!(command = %ctx.command().name, error = format!("{error:#}"), "command failed");
            let reply = poise::CreateReply::default()
                .content("Sorry, something went wrong answering that. Please try again.")
                .ephemeral(true)
                .allowed_mentions(convert::no_pings());
            let _ = ctx.send(reply).await;
        }
        poise::FrameworkError::EventHandler { error, event, .. } => {
            tracing::error!(
                event = event.snake_case_name(),
                error = format!("{error:#}"),
                "event handler failed"
            );
        }
        other => {
            if let Err(error) = poise::builtins::on_error(other).await {
                tracing::error!(%error, "while handling an error");
            }
        }
    }
}

async fn respond(ctx: Context<'_>, question: Question) -> Result<(), Error> {
    let state = ctx.data();
    let knowledge = state.knowledge(ctx.guild_id());
    let answer = answer(&knowledge, &question);
    let reply = state.engine().render(&knowledge, &answer);
    send_answer(ctx, &reply).await
}

/// Sends `reply` as the answer to a slash command.
async fn send_answer(ctx: Context<'_>, reply: &Reply) -> Result<(), Error> {
    let poise::Context::Application(command) = ctx else {
        anyhow::bail!("the answer commands are slash commands only");
    };
    // Each answer command responds once, with this: none defers or sends before it.
    ctx.http()
        .create_interaction_response(
            command.interaction.id,
            &command.interaction.token,
            &convert::interaction_answer(reply, false),
            Vec::new(),
        )
        .await?;
    // As poise records its own responses: anything sent later (an error) follows up.
    command
        .has_sent_initial_response
        .store(true, Ordering::SeqCst);
    Ok(())
}

async fn complete(
    ctx: Context<'_>,
    kind: Kind,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let knowledge = ctx.data().knowledge(ctx.guild_id());
    let choices = knowledge
        .complete(kind, partial, CHOICES)
        .into_iter()
        .map(|entry| {
            serenity::AutocompleteChoice::new(
                choice_name(knowledge.label(entry)),
                knowledge.id(entry).to_string(),
            )
        })
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// `label` within Discord's limit on a choice's name, which counts characters: cut in place.
fn choice_name(mut label: String) -> String {
    if let Some((at, _)) = label.char_indices().nth(CHOICE_LEN) {
        label.truncate(at);
    }
    label
}

async fn complete_film(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    complete(ctx, Kind::Film, partial).await
}

async fn complete_composer(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    complete(ctx, Kind::Composer, partial).await
}

async fn complete_term(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    complete(ctx, Kind::Term, partial).await
}

/// A film's score: who wrote it, what it is like, notable cues and awards.
#[poise::command(slash_command)]
pub async fn score(
    ctx: Context<'_>,
    #[description = "The film"]
    #[autocomplete = "complete_film"]
    #[max_length = 100]
    film: String,
) -> Result<(), Error> {
    respond(ctx, Question::Score { film }).await
}

/// A film's songs and album.
#[poise::command(slash_command)]
pub async fn soundtrack(
    ctx: Context<'_>,
    #[description = "The film"]
    #[autocomplete = "complete_film"]
    #[max_length = 100]
    film: String,
) -> Result<(), Error> {
    respond(ctx, Question::Soundtrack { film }).await
}

/// A composer: who they are, notable scores, awards.
#[poise::command(slash_command)]
pub async fn composer(
    ctx: Context<'_>,
    #[description = "The composer"]
    #[autocomplete = "complete_composer"]
    #[max_length = 100]
    name: String,
) -> Result<(), Error> {
    respond(ctx, Question::Composer { name }).await
}

/// What a film-music term means.
#[poise::command(slash_command)]
pub async fn define(
    ctx: Context<'_>,
    #[description = "The term"]
    #[autocomplete = "complete_term"]
    #[max_length = 100]
    term: String,
) -> Result<(), Error> {
    respond(ctx, Question::Define { term }).await
}

/// Ask anything about film music in plain words.
#[poise::command(slash_command)]
pub async fn ask(
    ctx: Context<'_>,
    #[description = "Your question, e.g. who scored The Dark Knight?"]
    #[max_length = 300]
    question: String,
) -> Result<(), Error> {
    let state = ctx.data();
    let knowledge = state.knowledge(ctx.guild_id());
    let reply = state.engine().ask(&knowledge, &question).reply;
    send_answer(ctx, &reply).await
}

/// What leitmotif can do.
#[poise::command(slash_command)]
pub async fn help(ctx: Context<'_>) -> Result<(), Error> {
    respond(ctx, Question::Help).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice_names_keep_to_discords_limit_in_characters() {
        assert_eq!(choice_name("Psycho (1960)".into()), "Psycho (1960)");
        let exact = "é".repeat(CHOICE_LEN);
        assert_eq!(choice_name(exact.clone()), exact);
        let long = "é".repeat(CHOICE_LEN + 7);
        assert_eq!(choice_name(long).chars().count(), CHOICE_LEN);
    }
}
