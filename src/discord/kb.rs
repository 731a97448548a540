//! `/kb`: server moderators curate their server's knowledge. Who may is checked here on every
//! call, whatever Discord's command permissions say; the changes themselves are made by
//! [`crate::curation`], off the async runtime because they write and sync a file.

use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude as serenity;

use super::{Context, Error, State, convert};
use crate::curation::{
    Actor, Change, ComposerInput, CurationError, EntrySource, FilmInput, TermInput,
};
use crate::knowledge::{Kind, MAX_ID_LEN};

/// How long an edit form waits for its submission.
const FORM_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// Discord's limit on a message's content.
const MAX_CONTENT: usize = 2000;

/// Curate this server's knowledge: add, edit and remove films, composers and terms.
#[poise::command(
    slash_command,
    guild_only,
    default_member_permissions = "MANAGE_GUILD",
    subcommands(
        "add_film",
        "add_composer",
        "add_term",
        "edit",
        "remove",
        "restore",
        "list",
        "show",
        "history",
        "export",
        "import",
        "settings"
    ),
    subcommand_required
)]
pub async fn kb(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Says why the author may not edit (ephemerally) and returns `None`, or returns who they are.
async fn editor(ctx: Context<'_>) -> Result<Option<(u64, Actor)>, Error> {
    let Some(guild) = ctx.guild_id() else {
        private(ctx, "Server knowledge can only be edited in a server.").await?;
        return Ok(None);
    };
    let settings = ctx.data().curator().settings(guild.get());
    let allowed = match ctx.author_member().await {
        Some(member) => {
            let by_permission = member
                .permissions
                .is_some_and(|p| p.manage_guild() || p.administrator());
            let by_role = settings
                .editor_role
                .is_some_and(|role| member.roles.iter().any(|r| r.get() == role));
            by_permission || by_role
        }
        None => false,
    };
    if !allowed {
        let how = match settings.editor_role {
            Some(role) => format!("the Manage Server permission or the <@&{role}> role"),
            None => "the Manage Server permission".to_string(),
        };
        private(
            ctx,
            &format!("Only members with {how} can change this server's knowledge."),
        )
        .await?;
        return Ok(None);
    }
    let actor = Actor {
        id: ctx.author().id.get(),
        name: ctx.author().name.clone(),
    };
    Ok(Some((guild.get(), actor)))
}

async fn private(ctx: Context<'_>, text: &str) -> Result<(), Error> {
    let text: String = text.chars().take(MAX_CONTENT).collect();
    ctx.send(
        poise::CreateReply::default()
            .content(text)
            .ephemeral(true)
            .allowed_mentions(convert::no_pings()),
    )
    .await?;
    Ok(())
}

/// An embed only the author sees.
async fn private_embed(ctx: Context<'_>, title: String, description: String) -> Result<(), Error> {
    let embed = serenity::CreateEmbed::new()
        .title(crate::text::truncate(&title, crate::reply::MAX_TITLE))
        .description(crate::text::truncate(
            &description,
            crate::reply::MAX_DESCRIPTION,
        ))
        .colour(crate::reply::colour::HELP);
    let reply = poise::CreateReply::default()
        .embed(embed)
        .ephemeral(true)
        .allowed_mentions(convert::no_pings());
    ctx.send(reply).await?;
    Ok(())
}

/// Makes a change off the runtime and says how it went.
async fn change(ctx: Context<'_>, guild: u64, actor: Actor, change: Change) -> Result<(), Error> {
    ctx.defer_ephemeral().await?;
    let outcome = run_change(ctx.data().clone(), guild, actor, change).await;
    private(ctx, &outcome).await
}

async fn run_change(state: Arc<State>, guild: u64, actor: Actor, change: Change) -> String {
    let result =
        tokio::task::spawn_blocking(move || state.curator().apply(guild, &actor, change)).await;
    match result {
        Ok(Ok(applied)) => applied.summary,
        Ok(Err(error)) => refusal(&error),
        Err(error) => {
            tracing::error!(%error, "a knowledge change panicked");
            "Something went wrong; nothing was changed.".into()
        }
    }
}

/// An entry's source as the server sees it, read off the runtime (a shipped entry's is read from
/// disk); `Err` is what to tell the moderator.
async fn entry_source(
    state: Arc<State>,
    guild: u64,
    id: String,
) -> Result<Option<(EntrySource, bool)>, String> {
    match tokio::task::spawn_blocking(move || state.curator().source(guild, &id)).await {
        Ok(Ok(found)) => Ok(found),
        Ok(Err(error)) => {
            tracing::error!(%error, "reading an entry's source failed");
            Err("The entry could not be read. Please try again later.".into())
        }
        Err(error) => {
            tracing::error!(%error, "reading an entry's source panicked");
            Err("Something went wrong reading the entry.".into())
        }
    }
}

fn refusal(error: &CurationError) -> String {
    match error {
        CurationError::Invalid(problems) => {
            let mut text = String::from("Nothing was changed:");
            for problem in problems.iter().take(10) {
                text.push_str("\n• ");
                text.push_str(problem);
            }
            if problems.len() > 10 {
                text.push_str(&format!("\n…and {} more", problems.len() - 10));
            }
            text
        }
        CurationError::Storage(_) => {
            tracing::error!(error = %error, "saving a knowledge change failed");
            "Nothing was changed: the change could not be saved. Please try again later.".into()
        }
        other => format!("Nothing was changed: {other}."),
    }
}

async fn complete_entry(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let knowledge = ctx.data().knowledge(ctx.guild_id());
    let mut choices = Vec::new();
    for kind in Kind::ALL {
        for entry in knowledge.complete(kind, partial, 25) {
            let name = format!("{}: {}", kind.noun(), knowledge.label(entry));
            choices.push(serenity::AutocompleteChoice::new(
                name.chars().take(100).collect::<String>(),
                knowledge.id(entry).to_string(),
            ));
        }
    }
    choices.truncate(25);
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

async fn complete_own(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let Some(guild) = ctx.guild_id() else {
        return serenity::CreateAutocompleteResponse::new();
    };
    let key = crate::text::fold(partial);
    let choices = ctx
        .data()
        .curator()
        .entries(guild.get())
        .into_iter()
        .filter(|(_, id, label)| {
            id.contains(&key.replace(' ', "-")) || crate::text::fold(label).contains(&key)
        })
        .take(25)
        .map(|(kind, id, label)| {
            serenity::AutocompleteChoice::new(
                format!("{}: {label}", kind.noun())
                    .chars()
                    .take(100)
                    .collect::<String>(),
                id,
            )
        })
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Add a film to this server's knowledge.
#[poise::command(slash_command, guild_only, rename = "add-film")]
#[allow(clippy::too_many_arguments)]
pub async fn add_film(
    ctx: Context<'_>,
    #[description = "The film's title"]
    #[max_length = 100]
    title: String,
    #[description = "Year of release"]
    #[min = 1888]
    #[max = 2030]
    year: i64,
    #[description = "Composers, comma-separated (new names are added as composers); empty for songs only"]
    #[max_length = 500]
    composers: String,
    #[description = "What the music is like, in a few sentences"]
    #[max_length = 1200]
    summary: String,
    #[description = "Directors, comma-separated"]
    #[max_length = 300]
    directors: Option<String>,
    #[description = "Other names, comma-separated"]
    #[max_length = 500]
    aliases: Option<String>,
    #[description = "Songs as Title - Performer; Title - Performer"]
    #[max_length = 1500]
    songs: Option<String>,
    #[description = "A URL that supports this"]
    #[max_length = 300]
    source: Option<String>,
) -> Result<(), Error> {
    let Some((guild, actor)) = editor(ctx).await? else {
        return Ok(());
    };
    let input = FilmInput {
        title,
        year,
        composers,
        summary,
        directors,
        aliases,
        songs,
        source,
    };
    change(ctx, guild, actor, Change::AddFilm(input)).await
}

/// Add a composer to this server's knowledge.
#[poise::command(slash_command, guild_only, rename = "add-composer")]
#[allow(clippy::too_many_arguments)]
pub async fn add_composer(
    ctx: Context<'_>,
    #[description = "The composer's name"]
    #[max_length = 100]
    name: String,
    #[description = "Who they are, in a few sentences"]
    #[max_length = 1200]
    bio: String,
    #[description = "Year of birth"]
    #[min = 1800]
    #[max = 2030]
    born: Option<i64>,
    #[description = "Year of death"]
    #[min = 1800]
    #[max = 2030]
    died: Option<i64>,
    #[description = "Notable scores as Title (Year), comma-separated"]
    #[max_length = 1500]
    scores: Option<String>,
    #[description = "Other names, comma-separated"]
    #[max_length = 500]
    aliases: Option<String>,
    #[description = "A URL that supports this"]
    #[max_length = 300]
    source: Option<String>,
) -> Result<(), Error> {
    let Some((guild, actor)) = editor(ctx).await? else {
        return Ok(());
    };
    let input = ComposerInput {
        name,
        born,
        died,
        bio,
        scores,
        aliases,
        source,
    };
    change(ctx, guild, actor, Change::AddComposer(input)).await
}

/// Add a film-music term to this server's knowledge.
#[poise::command(slash_command, guild_only, rename = "add-term")]
pub async fn add_term(
    ctx: Context<'_>,
    #[description = "The term"]
    #[max_length = 100]
    term: String,
    #[description = "What it means"]
    #[max_length = 1200]
    definition: String,
    #[description = "Other names, comma-separated"]
    #[max_length = 500]
    aliases: Option<String>,
    #[description = "A URL that supports this"]
    #[max_length = 300]
    source: Option<String>,
) -> Result<(), Error> {
    let Some((guild, actor)) = editor(ctx).await? else {
        return Ok(());
    };
    change(
        ctx,
        guild,
        actor,
        Change::AddTerm(TermInput {
            term,
            definition,
            aliases,
            source,
        }),
    )
    .await
}

#[derive(Debug, poise::Modal)]
#[name = "Edit film"]
struct FilmForm {
    #[name = "Title"]
    #[max_length = 100]
    title: String,
    #[name = "Year"]
    #[max_length = 4]
    year: String,
    #[name = "Composers (comma-separated)"]
    #[max_length = 500]
    composers: Option<String>,
    #[name = "Summary of the music"]
    #[paragraph]
    #[max_length = 1200]
    summary: String,
    #[name = "Other names (comma-separated)"]
    #[max_length = 500]
    aliases: Option<String>,
}

#[derive(Debug, poise::Modal)]
#[name = "Edit composer"]
struct ComposerForm {
    #[name = "Name"]
    #[max_length = 100]
    name: String,
    #[name = "Born (year)"]
    #[max_length = 4]
    born: Option<String>,
    #[name = "Died (year)"]
    #[max_length = 4]
    died: Option<String>,
    #[name = "Biography"]
    #[paragraph]
    #[max_length = 1200]
    bio: String,
    #[name = "Other names (comma-separated)"]
    #[max_length = 500]
    aliases: Option<String>,
}

#[derive(Debug, poise::Modal)]
#[name = "Edit term"]
struct TermForm {
    #[name = "Term"]
    #[max_length = 100]
    term: String,
    #[name = "Definition"]
    #[paragraph]
    #[max_length = 1200]
    definition: String,
    #[name = "Other names (comma-separated)"]
    #[max_length = 500]
    aliases: Option<String>,
}

/// Edit an entry for this server (a shipped one is changed for this server only).
#[poise::command(slash_command, guild_only)]
pub async fn edit(
    ctx: Context<'_>,
    #[description = "The entry"]
    #[autocomplete = "complete_entry"]
    #[max_length = 100]
    entry: String,
) -> Result<(), Error> {
    let Some((guild, actor)) = editor(ctx).await? else {
        return Ok(());
    };
    let poise::Context::Application(app) = ctx else {
        return Ok(());
    };
    let missing = format!("There is no entry “{entry}”. Pick one from the list.");
    let Some(id) = entry_id(&ctx, &entry) else {
        return private(ctx, &missing).await;
    };
    let (source, _) = match entry_source(ctx.data().clone(), guild, id.clone()).await {
        Ok(Some(found)) => found,
        Ok(None) => return private(ctx, &missing).await,
        Err(message) => return private(ctx, &message).await,
    };
    let knowledge = ctx.data().knowledge(ctx.guild_id());
    let state = ctx.data().clone();
    match source {
        EntrySource::Film(film) => {
            let names: Vec<String> = film
                .composers
                .iter()
                .map(|c| {
                    knowledge
                        .by_id(&c.value)
                        .map_or_else(|| c.value.clone(), |e| knowledge.label(e))
                })
                .collect();
            let defaults = FilmForm {
                title: film.title.value.clone(),
                year: film.year.value.to_string(),
                composers: Some(names.join(", ")),
                summary: film.summary.value.clone(),
                aliases: Some(
                    film.aliases
                        .iter()
                        .map(|a| a.value.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            };
            let Some((form, submit)) = ask(app, defaults).await? else {
                return Ok(());
            };
            let input = FilmInput {
                title: form.title,
                year: form.year.trim().parse().unwrap_or(0),
                composers: form.composers.unwrap_or_default(),
                summary: form.summary,
                aliases: Some(form.aliases.unwrap_or_default()),
                ..FilmInput::default()
            };
            answer_form(
                ctx,
                &submit,
                state,
                guild,
                actor,
                Change::EditFilm(id, input),
            )
            .await
        }
        EntrySource::Composer(composer) => {
            let defaults = ComposerForm {
                name: composer.name.value.clone(),
                born: composer.born.as_ref().map(|b| b.value.to_string()),
                died: composer.died.as_ref().map(|d| d.value.to_string()),
                bio: composer.bio.value.clone(),
                aliases: Some(
                    composer
                        .aliases
                        .iter()
                        .map(|a| a.value.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            };
            let Some((form, submit)) = ask(app, defaults).await? else {
                return Ok(());
            };
            let year = |text: Option<String>| {
                text.filter(|t| !t.trim().is_empty())
                    .map(|t| t.trim().parse().unwrap_or(0))
            };
            let input = ComposerInput {
                name: form.name,
                born: year(form.born),
                died: year(form.died),
                bio: form.bio,
                aliases: Some(form.aliases.unwrap_or_default()),
                ..ComposerInput::default()
            };
            answer_form(
                ctx,
                &submit,
                state,
                guild,
                actor,
                Change::EditComposer(id, input),
            )
            .await
        }
        EntrySource::Term(term) => {
            let defaults = TermForm {
                term: term.term.value.clone(),
                definition: term.definition.value.clone(),
                aliases: Some(
                    term.aliases
                        .iter()
                        .map(|a| a.value.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            };
            let Some((form, submit)) = ask(app, defaults).await? else {
                return Ok(());
            };
            let input = TermInput {
                term: form.term,
                definition: form.definition,
                aliases: Some(form.aliases.unwrap_or_default()),
                source: None,
            };
            answer_form(
                ctx,
                &submit,
                state,
                guild,
                actor,
                Change::EditTerm(id, input),
            )
            .await
        }
    }
}

/// Shows a pre-filled form and waits for it. Unlike poise's own helper, the submission is
/// answered with the outcome (not just closed), so the moderator sees what happened.
async fn ask<M: poise::Modal>(
    ctx: poise::ApplicationContext<'_, Arc<State>, Error>,
    defaults: M,
) -> Result<Option<(M, serenity::ModalInteraction)>, Error> {
    use poise::futures_util::StreamExt;

    let custom_id = format!("lm-form:{}", ctx.interaction.id);
    // Listening starts before the form is shown: a submission that arrives as soon as the form
    // is up must not pass before anyone listens for it.
    let wanted = custom_id.clone();
    let mut submissions = serenity::ModalInteractionCollector::new(&ctx.serenity_context().shard)
        .filter(move |m| m.data.custom_id == wanted)
        .timeout(FORM_TIMEOUT)
        .stream();
    ctx.interaction
        .create_response(ctx.serenity_context(), M::create(Some(defaults), custom_id))
        .await?;
    ctx.has_sent_initial_response
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let Some(submitted) = submissions.next().await else {
        return Ok(None);
    };
    let form =
        M::parse(submitted.data.clone()).map_err(|e| anyhow::anyhow!("reading the form: {e}"))?;
    Ok(Some((form, submitted)))
}

async fn answer_form(
    ctx: Context<'_>,
    submit: &serenity::ModalInteraction,
    state: Arc<State>,
    guild: u64,
    actor: Actor,
    change: Change,
) -> Result<(), Error> {
    submit.defer_ephemeral(ctx.serenity_context()).await?;
    let outcome: String = run_change(state, guild, actor, change)
        .await
        .chars()
        .take(MAX_CONTENT)
        .collect();
    submit
        .edit_response(
            ctx.serenity_context(),
            serenity::EditInteractionResponse::new()
                .content(outcome)
                .allowed_mentions(convert::no_pings()),
        )
        .await?;
    Ok(())
}

/// The id of an entry picked from autocomplete, or typed as a name.
fn entry_id(ctx: &Context<'_>, entry: &str) -> Option<String> {
    let knowledge = ctx.data().knowledge(ctx.guild_id());
    if knowledge.by_id(entry.trim()).is_some() {
        return Some(entry.trim().to_string());
    }
    match knowledge.resolve(entry, &Kind::ALL) {
        crate::knowledge::Resolution::Found {
            entry,
            how: crate::knowledge::Match::Exact,
        } => Some(knowledge.id(entry).to_string()),
        _ => None,
    }
}

/// Remove one of this server's entries (it can be restored).
#[poise::command(slash_command, guild_only)]
pub async fn remove(
    ctx: Context<'_>,
    #[description = "The entry"]
    #[autocomplete = "complete_own"]
    #[max_length = 100]
    entry: String,
) -> Result<(), Error> {
    let Some((guild, actor)) = editor(ctx).await? else {
        return Ok(());
    };
    let id = entry_id(&ctx, &entry).unwrap_or_else(|| entry.trim().to_string());
    change(ctx, guild, actor, Change::Remove(id)).await
}

/// Bring back an entry this server removed.
#[poise::command(slash_command, guild_only)]
pub async fn restore(
    ctx: Context<'_>,
    #[description = "The id of the removed entry"]
    #[max_length = 64]
    entry: String,
) -> Result<(), Error> {
    let Some((guild, actor)) = editor(ctx).await? else {
        return Ok(());
    };
    let id = entry.trim().to_string();
    if id.len() > MAX_ID_LEN {
        return private(ctx, "That is not an entry id.").await;
    }
    change(ctx, guild, actor, Change::Restore(id)).await
}

/// List this server's own entries.
#[poise::command(slash_command, guild_only)]
pub async fn list(ctx: Context<'_>) -> Result<(), Error> {
    let Some((guild, _)) = editor(ctx).await? else {
        return Ok(());
    };
    let entries = ctx.data().curator().entries(guild);
    if entries.is_empty() {
        return private(ctx, "This server has no entries of its own yet. Add some with /kb add-film, /kb add-composer or /kb add-term.").await;
    }
    let lines: Vec<String> = entries
        .iter()
        .map(|(kind, id, label)| format!("{}: {} (`{id}`)", kind.noun(), escape(label)))
        .collect();
    private_embed(
        ctx,
        format!("This server's entries ({})", entries.len()),
        crate::text::truncate(&lines.join("\n"), 4000),
    )
    .await
}

/// Show an entry as stored, with who added it and when.
#[poise::command(slash_command, guild_only)]
pub async fn show(
    ctx: Context<'_>,
    #[description = "The entry"]
    #[autocomplete = "complete_entry"]
    #[max_length = 100]
    entry: String,
) -> Result<(), Error> {
    let Some((guild, _)) = editor(ctx).await? else {
        return Ok(());
    };
    let Some(id) = entry_id(&ctx, &entry) else {
        return private(ctx, &format!("There is no entry “{entry}”.")).await;
    };
    let (source, own) = match entry_source(ctx.data().clone(), guild, id.clone()).await {
        Ok(Some(found)) => found,
        Ok(None) => return private(ctx, &format!("There is no entry “{entry}”.")).await,
        Err(message) => return private(ctx, &message).await,
    };
    let yaml = match source {
        EntrySource::Film(f) => crate::knowledge::yaml::write(&f),
        EntrySource::Composer(c) => crate::knowledge::yaml::write(&c),
        EntrySource::Term(t) => crate::knowledge::yaml::write(&t),
    }
    .unwrap_or_default()
    .replace("```", "'''");
    let history = ctx.data().curator().history(guild, &id);
    let origin = match (own, history.first()) {
        (true, Some(first)) => format!(
            "This server's entry: {} by {} at {}.",
            first.action.verb(),
            first.by_name,
            first.at
        ),
        (true, None) => "This server's entry.".to_string(),
        (false, _) => {
            "From the shipped knowledge (edit it to change it for this server).".to_string()
        }
    };
    let body = crate::text::truncate(&yaml, 3900);
    private_embed(
        ctx,
        format!("`{id}`"),
        format!("{}\n```yaml\n{body}\n```", escape(&origin)),
    )
    .await
}

/// Show the changes made to an entry in this server.
#[poise::command(slash_command, guild_only)]
pub async fn history(
    ctx: Context<'_>,
    #[description = "The entry's id"]
    #[autocomplete = "complete_entry"]
    #[max_length = 100]
    entry: String,
) -> Result<(), Error> {
    let Some((guild, _)) = editor(ctx).await? else {
        return Ok(());
    };
    let id = entry_id(&ctx, &entry).unwrap_or_else(|| entry.trim().to_string());
    let events = ctx.data().curator().history(guild, &id);
    if events.is_empty() {
        return private(ctx, &format!("No changes to `{id}` in this server.")).await;
    }
    let lines: Vec<String> = events
        .iter()
        .rev()
        .map(|e| format!("{}: {} by {}", e.at, e.action.verb(), escape(&e.by_name)))
        .collect();
    private_embed(
        ctx,
        format!("History of `{id}`"),
        crate::text::truncate(&lines.join("\n"), 4000),
    )
    .await
}

/// Download this server's entries as a YAML file.
#[poise::command(slash_command, guild_only)]
pub async fn export(ctx: Context<'_>) -> Result<(), Error> {
    let Some((guild, _)) = editor(ctx).await? else {
        return Ok(());
    };
    let text = match ctx.data().curator().export(guild) {
        Ok(text) => text,
        Err(error) => return private(ctx, &refusal(&error)).await,
    };
    let file =
        serenity::CreateAttachment::bytes(text.into_bytes(), format!("leitmotif-{guild}.yaml"));
    let reply = poise::CreateReply::default()
        .content("This server's entries. Edit the file and use /kb import to apply it.")
        .attachment(file)
        .ephemeral(true)
        .allowed_mentions(convert::no_pings());
    ctx.send(reply).await?;
    Ok(())
}

/// Add or replace entries from a YAML file (checked as a whole before anything changes).
#[poise::command(slash_command, guild_only)]
pub async fn import(
    ctx: Context<'_>,
    #[description = "A YAML file, as /kb export writes"] file: serenity::Attachment,
) -> Result<(), Error> {
    let Some((guild, actor)) = editor(ctx).await? else {
        return Ok(());
    };
    if file.size as usize > crate::curation::MAX_IMPORT_BYTES {
        return private(
            ctx,
            "Nothing was changed: the file is too large (at most 512 KB).",
        )
        .await;
    }
    ctx.defer_ephemeral().await?;
    let bytes = match file.download().await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!(%error, "downloading an import");
            return private(
                ctx,
                "Nothing was changed: the file could not be downloaded.",
            )
            .await;
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return private(ctx, "Nothing was changed: the file is not UTF-8 text.").await;
    };
    let outcome = run_change(ctx.data().clone(), guild, actor, Change::Import(text)).await;
    private(ctx, &outcome).await
}

/// Server settings for /kb.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("role", "chat"),
    subcommand_required
)]
pub async fn settings(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Let members of a role edit this server's knowledge (leave empty for Manage Server only).
#[poise::command(slash_command, guild_only)]
pub async fn role(
    ctx: Context<'_>,
    #[description = "The role (empty: only Manage Server)"] role: Option<serenity::Role>,
) -> Result<(), Error> {
    let Some((guild, actor)) = editor(ctx).await? else {
        return Ok(());
    };
    change(
        ctx,
        guild,
        actor,
        Change::SetEditorRole(role.map(|r| r.id.get())),
    )
    .await
}

/// Answer questions in a channel without being mentioned, or stop.
#[poise::command(slash_command, guild_only)]
pub async fn chat(
    ctx: Context<'_>,
    #[description = "The channel"]
    #[channel_types("Text")]
    channel: serenity::GuildChannel,
    #[description = "Answer questions I am sure about without a mention"] answer: bool,
) -> Result<(), Error> {
    let Some((guild, actor)) = editor(ctx).await? else {
        return Ok(());
    };
    change(
        ctx,
        guild,
        actor,
        Change::SetChatChannel(channel.id.get(), answer),
    )
    .await
}

fn escape(text: &str) -> String {
    crate::reply::render::escape(text).into_owned()
}
