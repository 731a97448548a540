//! Rendering an [`Answer`] as a [`Reply`]. Knowledge text is plain; here it is escaped for Discord
//! Markdown and arranged as an embed.

use std::borrow::Cow;

use super::limits::{field, write_lines};
use super::{Embed, Link, Reply, Target, colour};
use crate::answer::{Answer, ComposerView, FilmView};
use crate::knowledge::{
    Award, AwardResult, Composer, EntryRef, Film, Kind, Knowledge, Match, MusicKind,
};
use crate::text::{push_number, titled};

/// What the help text says about the bot's commands; the Discord layer may show a different
/// command prefix, so it is a parameter.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// How users invoke commands in this place ("/" for slash commands).
    pub command_prefix: String,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            command_prefix: "/".into(),
        }
    }
}

/// Renders `answer` with default options.
pub fn render(knowledge: &Knowledge, answer: &Answer) -> Reply {
    render_with(knowledge, answer, &RenderOptions::default())
}

/// Renders `answer`.
pub fn render_with(knowledge: &Knowledge, answer: &Answer, options: &RenderOptions) -> Reply {
    let mut reply = match answer {
        Answer::Film {
            film,
            view,
            how,
            asked,
        } => film_reply(knowledge, *film, *view, closest(*how, asked)),
        Answer::Composer {
            composer,
            view,
            how,
            asked,
        } => composer_reply(knowledge, *composer, *view, closest(*how, asked)),
        Answer::Term { term, how, asked } => term_reply(knowledge, *term, closest(*how, asked)),
        Answer::Comparison { first, second } => comparison_reply(knowledge, *first, *second),
        Answer::Unknown {
            asked,
            sought,
            suggestions,
        } => unknown_reply(knowledge, asked, *sought, suggestions, options),
        Answer::OutOfScope => out_of_scope_reply(options),
        Answer::Help => help_reply(knowledge, options),
    };
    reply.fit();
    reply
}

fn closest(how: Match, asked: &str) -> Option<String> {
    (how == Match::Close).then(|| format!("*Closest match for “{}”.*\n", escape(asked)))
}

fn answered(embed: Embed, links: Vec<Link>) -> Reply {
    Reply {
        embed,
        links,
        private: false,
        answered: true,
    }
}

fn film_reply(knowledge: &Knowledge, index: u32, view: FilmView, note: Option<String>) -> Reply {
    let film = knowledge.film(index);
    let title = escape(&film.title);
    let composers = composer_names(knowledge, film);
    let mut embed = Embed {
        title: titled(&film.title, film.year),
        url: film.sources.first().cloned(),
        footer: source_footer(&film.sources),
        colour: colour::SCORE,
        ..Embed::default()
    };
    let mut description = note.unwrap_or_default();
    let mut links = Vec::new();
    match view {
        FilmView::Score | FilmView::Released => {
            // The summary and a sentence or two around it: one allocation for all of it.
            description.reserve(film.summary.len() + 200);
            if view == FilmView::Released {
                description.push_str(&format!("*{title}* was released in **{}**. ", film.year));
            }
            push_score_lead(&mut description, film, &title, &composers);
            description.push_str("\n\n");
            push_escaped(&mut description, &film.summary);
            let composer_label = if film.composers.len() == 1 {
                "Composer"
            } else {
                "Composers"
            };
            embed
                .fields
                .push(field(composer_label, or_none(&composers), true));
            embed
                .fields
                .push(field("Directed by", escaped_list(&film.directors), true));
            embed
                .fields
                .push(field("Music", music_kind(film.music), true));
            if !film.cues.is_empty() {
                let cues = write_lines(film.cues.len(), &film.cues, |out, cue| {
                    out.push_str("**");
                    push_escaped(out, &cue.title);
                    out.push_str("**");
                    if let Some(note) = &cue.note {
                        out.push_str(" — ");
                        push_escaped(out, note);
                    }
                });
                embed
                    .fields
                    .push(field("Notable cues and themes", cues, false));
            }
            if !film.awards.is_empty() {
                embed.fields.push(field(
                    "Awards",
                    write_lines(film.awards.len(), &film.awards, |out, award| {
                        push_award_line(out, knowledge, award, false)
                    }),
                    false,
                ));
            }
            if !film.songs.is_empty() || film.album.is_some() {
                links.push(Link {
                    label: "Soundtrack".into(),
                    target: Target::Soundtrack(film.id.clone()),
                });
            }
        }
        FilmView::Soundtrack => {
            embed.colour = colour::SOUNDTRACK;
            embed.title = titled(&film.title, film.year) + ": soundtrack";
            if film.songs.is_empty() {
                description.push_str(&match film.music {
                    MusicKind::OriginalScore => format!(
                        "The music of *{title}* is an original score by {}; no songs are listed for it.",
                        or_none(&composers)
                    ),
                    _ => format!("No songs are listed for *{title}*."),
                });
            } else {
                description.push_str(&match film.music {
                    MusicKind::CompiledSoundtrack => format!(
                        "*{title}* has no original score: its music is a soundtrack compiled from existing recordings."
                    ),
                    MusicKind::Both => format!("*{title}* has an original score by {} and these songs.", or_none(&composers)),
                    MusicKind::OriginalScore => format!("Songs heard in *{title}*."),
                });
                let songs = write_lines(film.songs.len(), &film.songs, |out, song| {
                    out.push('“');
                    push_escaped(out, &song.title);
                    out.push_str("” — ");
                    push_escaped(out, &song.performer);
                    if let Some(writer) = &song.writer {
                        out.push_str(" (written by ");
                        push_escaped(out, writer);
                        out.push(')');
                    }
                    if let Some(note) = &song.note {
                        out.push_str(". ");
                        push_escaped(out, note);
                    }
                });
                embed.fields.push(field("Songs", songs, false));
            }
            if let Some(album) = &film.album {
                embed.fields.push(field("Album", escape(album), false));
            }
            if !film.composers.is_empty() {
                links.push(Link {
                    label: "Score".into(),
                    target: Target::Score(film.id.clone()),
                });
            }
        }
        FilmView::Awards => {
            if film.awards.is_empty() {
                description.push_str(&format!(
                    "I have no awards on record for the music of *{title}*."
                ));
            } else {
                description.push_str(&format!(
                    "Awards for the music of *{title}* ({}).",
                    or_none(&composers)
                ));
                push_award_fields(&mut embed, knowledge, &film.awards, false);
            }
        }
    }
    embed.description = description;
    for &c in film.composers.iter().take(3) {
        let composer = knowledge.composer(c);
        links.push(Link {
            label: ["More by ", surname(&composer.name)].concat(),
            target: Target::Composer(composer.id.clone()),
        });
    }
    answered(embed, links)
}

fn push_score_lead(out: &mut String, film: &Film, title: &str, composers: &str) {
    match film.music {
        MusicKind::CompiledSoundtrack => {
            out.push('*');
            out.push_str(title);
            out.push_str("* has no original score: its music is a soundtrack compiled from existing recordings. See its soundtrack for the songs.");
        }
        MusicKind::Both if !film.composers.is_empty() => {
            out.push_str("The original score of *");
            out.push_str(title);
            out.push_str("* is by ");
            out.push_str(composers);
            out.push_str("; the film also uses existing songs.");
        }
        _ => match film.composers.len() {
            0 => {}
            1 => {
                out.push_str(composers);
                out.push_str(" composed the score.");
            }
            _ => {
                out.push_str("The score is by ");
                out.push_str(composers);
                out.push('.');
            }
        },
    }
}

fn composer_reply(
    knowledge: &Knowledge,
    index: u32,
    view: ComposerView,
    note: Option<String>,
) -> Reply {
    let composer = knowledge.composer(index);
    let mut embed = Embed {
        title: match lifespan(composer) {
            Some(years) => format!("{} ({years})", composer.name),
            None => composer.name.clone(),
        },
        url: composer.sources.first().cloned(),
        footer: source_footer(&composer.sources),
        colour: colour::COMPOSER,
        ..Embed::default()
    };
    let name = escape(&composer.name);
    let mut description = note.unwrap_or_default();
    let works = works(knowledge, composer);
    match view {
        ComposerView::Profile => {
            push_escaped(&mut description, &composer.bio);
            if !works.is_empty() {
                embed
                    .fields
                    .push(field("Notable scores", works_lines(&works), false));
            }
            if !composer.awards.is_empty() {
                embed.fields.push(field(
                    "Awards",
                    write_lines(composer.awards.len(), &composer.awards, |out, award| {
                        push_award_line(out, knowledge, award, true)
                    }),
                    false,
                ));
            }
        }
        ComposerView::Works => {
            if works.is_empty() {
                description.push_str(&format!("I have no scores on record for {name}."));
            } else {
                description.push_str(&format!("Scores by **{name}**, oldest first:"));
                embed
                    .fields
                    .push(field("Scores", works_lines(&works), false));
            }
        }
        ComposerView::Awards => {
            if composer.awards.is_empty() {
                description.push_str(&format!("I have no awards on record for {name}."));
            } else {
                let oscars = composer
                    .awards
                    .iter()
                    .filter(|a| {
                        a.result == AwardResult::Won && a.award.starts_with("Academy Award")
                    })
                    .count();
                description.push_str(&format!(
                    "**{name}** has won {} on record here.",
                    match oscars {
                        0 => "no Academy Award".to_string(),
                        1 => "one Academy Award".to_string(),
                        n => format!("{n} Academy Awards"),
                    }
                ));
                push_award_fields(&mut embed, knowledge, &composer.awards, true);
            }
        }
    }
    embed.description = description;
    let links = composer
        .films
        .iter()
        .rev()
        .take(5)
        .map(|&f| {
            let film = knowledge.film(f);
            Link {
                label: film.title.clone(),
                target: Target::Score(film.id.clone()),
            }
        })
        .collect();
    answered(embed, links)
}

fn term_reply(knowledge: &Knowledge, index: u32, note: Option<String>) -> Reply {
    let term = knowledge.term(index);
    let mut embed = Embed {
        title: term.term.clone(),
        url: term.sources.first().cloned(),
        footer: source_footer(&term.sources),
        colour: colour::TERM,
        ..Embed::default()
    };
    let mut description = note.unwrap_or_default();
    push_escaped(&mut description, &term.definition);
    embed.description = description;
    if !term.aliases.is_empty() {
        embed
            .fields
            .push(field("Also called", escaped_list(&term.aliases), true));
    }
    if !term.related.is_empty() {
        let mut related = String::new();
        for (i, &t) in term.related.iter().enumerate() {
            if i > 0 {
                related.push_str(", ");
            }
            push_escaped(&mut related, &knowledge.term(t).term);
        }
        embed.fields.push(field("Related", related, true));
    }
    if !term.examples.is_empty() {
        let mut films = String::new();
        for (i, &f) in term.examples.iter().enumerate() {
            let film = knowledge.film(f);
            if i > 0 {
                films.push_str(", ");
            }
            push_work(&mut films, &film.title, film.year);
        }
        embed.fields.push(field("Heard in", films, false));
    }
    let links = term
        .related
        .iter()
        .take(5)
        .map(|&t| {
            let related = knowledge.term(t);
            Link {
                label: related.term.clone(),
                target: Target::Define(related.id.clone()),
            }
        })
        .collect();
    answered(embed, links)
}

fn comparison_reply(knowledge: &Knowledge, first: u32, second: u32) -> Reply {
    let (a, b) = (knowledge.term(first), knowledge.term(second));
    let mut embed = Embed {
        title: format!("{} vs {}", a.term, lowercase_first(&b.term)),
        colour: colour::TERM,
        footer: source_footer(&[a.sources.clone(), b.sources.clone()].concat()),
        ..Embed::default()
    };
    embed.description = match knowledge.distinction(first, second) {
        Some(text) => escape(text).into_owned(),
        None => "Here is what each means.".to_string(),
    };
    embed
        .fields
        .push(field(a.term.clone(), escape(&a.definition), false));
    embed
        .fields
        .push(field(b.term.clone(), escape(&b.definition), false));
    let links = [a, b]
        .iter()
        .map(|t| Link {
            label: t.term.clone(),
            target: Target::Define(t.id.clone()),
        })
        .collect();
    answered(embed, links)
}

fn unknown_reply(
    knowledge: &Knowledge,
    asked: &str,
    sought: Option<Kind>,
    suggestions: &[EntryRef],
    options: &RenderOptions,
) -> Reply {
    let what = match sought {
        Some(Kind::Film) => "a film",
        Some(Kind::Composer) => "a composer",
        Some(Kind::Term) => "a term",
        None => "anything",
    };
    let mut description = format!("I don't know {what} called “{}”.", escape(asked));
    if suggestions.is_empty() {
        description.push_str(&format!(
            " I only answer from what I know, so I won't guess. Try `{}help` to see what I can answer.",
            options.command_prefix
        ));
    } else {
        description.push_str("\n\n**Did you mean:**");
        for &entry in suggestions {
            description.push_str(&format!("\n• {}", escape(&knowledge.label(entry))));
        }
    }
    let links = suggestions
        .iter()
        .map(|&entry| Link {
            label: knowledge.label(entry),
            target: target_of(knowledge, entry),
        })
        .collect();
    let embed = Embed {
        title: "I don't know that one".into(),
        description,
        colour: colour::UNKNOWN,
        ..Embed::default()
    };
    Reply {
        embed,
        links,
        private: true,
        answered: false,
    }
}

fn out_of_scope_reply(options: &RenderOptions) -> Reply {
    let p = &options.command_prefix;
    let embed = Embed {
        title: "That's outside what I know".into(),
        description: format!(
            "I answer questions about film music: who scored a film, what a composer wrote, what a term like *leitmotif* means. Try “who scored Psycho?” or `{p}help`."
        ),
        colour: colour::UNKNOWN,
        ..Embed::default()
    };
    Reply {
        embed,
        links: Vec::new(),
        private: true,
        answered: false,
    }
}

fn help_reply(knowledge: &Knowledge, options: &RenderOptions) -> Reply {
    let p = &options.command_prefix;
    let embed = Embed {
        title: "leitmotif: answers about film music".into(),
        description: "Ask me who scored a film, what a composer wrote, or what a film-music term means. I answer only from my knowledge base, and say so when I don't know.".into(),
        fields: vec![
            field(
                "Commands",
                format!(
                    "`{p}score <film>`: a film's score\n`{p}soundtrack <film>`: its songs and album\n`{p}composer <name>`: a composer and their scores\n`{p}define <term>`: a glossary term\n`{p}ask <question>`: anything in plain words\n`{p}help`: this message"
                ),
                false,
            ),
            field(
                "Ask in plain words",
                "“Who scored The Dark Knight?”\n“What's the difference between a score and a soundtrack?”\n“What did Morricone compose?”\n“What songs are in Pulp Fiction?”",
                false,
            ),
            field("In chat", "Mention me, message me directly, or reply to one of my answers.", false),
        ],
        footer: format!(
            "I know {} films, {} composers and {} terms.",
            knowledge.films().len(),
            knowledge.composers().len(),
            knowledge.terms().len()
        ),
        colour: colour::HELP,
        ..Embed::default()
    };
    answered(embed, Vec::new())
}

fn target_of(knowledge: &Knowledge, entry: EntryRef) -> Target {
    let id = knowledge.id(entry).to_string();
    match entry.kind {
        Kind::Film => Target::Score(id),
        Kind::Composer => Target::Composer(id),
        Kind::Term => Target::Define(id),
    }
}

/// "**A**", "**A** and **B**", "**A**, **B** and **C**".
fn composer_names(knowledge: &Knowledge, film: &Film) -> String {
    let mut names = String::new();
    let count = film.composers.len();
    for (i, &c) in film.composers.iter().enumerate() {
        if i > 0 {
            names.push_str(if i + 1 == count { " and " } else { ", " });
        }
        names.push_str("**");
        push_escaped(&mut names, &knowledge.composer(c).name);
        names.push_str("**");
    }
    names
}

/// `items` escaped and joined with commas.
fn escaped_list(items: &[String]) -> String {
    let mut list = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            list.push_str(", ");
        }
        push_escaped(&mut list, item);
    }
    list
}

/// A composer's scores, oldest first: (year, title) of the films with entries, then of the
/// others, sorted by year; lines are written from them only as far as they fit.
fn works<'a>(knowledge: &'a Knowledge, composer: &'a Composer) -> Vec<(u16, &'a str)> {
    let mut works: Vec<(u16, &str)> = composer
        .films
        .iter()
        .map(|&f| {
            let film = knowledge.film(f);
            (film.year, film.title.as_str())
        })
        .collect();
    works.extend(
        composer
            .other_scores
            .iter()
            .map(|w| (w.year, w.title.as_str())),
    );
    works.sort_by_key(|(year, _)| *year);
    works
}

/// "*Title* (year)" lines, as many as fit.
fn works_lines(works: &[(u16, &str)]) -> String {
    write_lines(works.len(), works, |out, (year, title)| {
        push_work(out, title, *year)
    })
}

/// "*Title* (year)", the title escaped.
fn push_work(out: &mut String, title: &str, year: u16) {
    out.push('*');
    push_escaped(out, title);
    out.push_str("* (");
    push_number(out, year);
    out.push(')');
}

/// "Won: Academy Award for Best Original Score (1976), *Jaws*".
fn push_award_line(out: &mut String, knowledge: &Knowledge, award: &Award, show_film: bool) {
    out.push_str(match award.result {
        AwardResult::Won => "Won: ",
        AwardResult::Nominated => "Nominated: ",
    });
    push_escaped(out, &award.award);
    out.push_str(" (");
    push_number(out, award.year);
    out.push(')');
    let film = award
        .film
        .filter(|_| show_film)
        .map(|f| knowledge.film(f).title.as_str());
    if let Some(film) = film {
        out.push_str(", *");
        push_escaped(out, film);
        out.push('*');
    }
    if let Some(work) = &award.work {
        out.push_str(if film.is_some() { ": “" } else { ", for “" });
        push_escaped(out, work);
        out.push('”');
    }
}

fn push_award_fields(embed: &mut Embed, knowledge: &Knowledge, awards: &[Award], show_film: bool) {
    for (name, result) in [
        ("Won", AwardResult::Won),
        ("Nominated", AwardResult::Nominated),
    ] {
        let count = awards.iter().filter(|a| a.result == result).count();
        if count > 0 {
            let these = awards.iter().filter(|a| a.result == result);
            embed.fields.push(field(
                name,
                write_lines(count, these, |out, award| {
                    push_award_line(out, knowledge, award, show_film)
                }),
                false,
            ));
        }
    }
}

fn source_footer(sources: &[String]) -> String {
    match sources.first() {
        Some(url) => {
            let shown = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"))
                .unwrap_or(url);
            let mut footer = String::with_capacity("Source: ".len() + shown.len());
            footer.push_str("Source: ");
            footer.push_str(shown);
            footer
        }
        // Only a server's own entries may have no source.
        None => "Added by this server's moderators".to_string(),
    }
}

fn lifespan(composer: &Composer) -> Option<String> {
    match (composer.born, composer.died) {
        (Some(born), Some(died)) => Some(format!("{born}–{died}")),
        (Some(born), None) => Some(format!("born {born}")),
        (None, Some(died)) => Some(format!("died {died}")),
        (None, None) => None,
    }
}

fn music_kind(kind: MusicKind) -> &'static str {
    match kind {
        MusicKind::OriginalScore => "Original score",
        MusicKind::CompiledSoundtrack => "Compiled soundtrack (no original score)",
        MusicKind::Both => "Original score and songs",
    }
}

fn or_none(text: &str) -> String {
    if text.is_empty() {
        "none".into()
    } else {
        text.to_string()
    }
}

fn surname(name: &str) -> &str {
    name.rsplit(' ').next().unwrap_or(name)
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if chars.clone().next().is_some_and(char::is_lowercase) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_string(),
    }
}

/// Escapes Discord Markdown in knowledge text, so a title like "*batteries not included" shows
/// as written.
pub fn escape(text: &str) -> Cow<'_, str> {
    // Most names and texts have nothing to escape: then no copy is made.
    if !text.bytes().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text);
    Cow::Owned(out)
}

/// Whether `b` is a character Discord's markdown gives a meaning to.
fn needs_escape(b: u8) -> bool {
    matches!(
        b,
        b'\\' | b'*' | b'_' | b'~' | b'`' | b'|' | b'>' | b'[' | b']' | b'#'
    )
}

/// Appends `text` to `out`, escaped as [`escape`] does, without a string of its own.
fn push_escaped(out: &mut String, text: &str) {
    // The characters to escape are ASCII, so scanning bytes finds them at character boundaries,
    // and the text between them is copied whole rather than character by character.
    let mut from = 0;
    for (i, b) in text.bytes().enumerate() {
        if needs_escape(b) {
            out.push_str(&text[from..i]);
            out.push('\\');
            from = i;
        }
    }
    out.push_str(&text[from..]);
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markdown_and_keeps_everything_else() {
        assert_eq!(
            escape("*batteries not included"),
            "\\*batteries not included"
        );
        assert_eq!(
            escape("a_b~c`d|e>f[g]h#i\\j"),
            "a\\_b\\~c\\`d\\|e\\>f\\[g\\]h\\#i\\\\j"
        );
        assert_eq!(
            escape("Amélie — “Guðnadóttir” 🎵*"),
            "Amélie — “Guðnadóttir” 🎵\\*"
        );
        assert_eq!(escape(""), "");
        assert_eq!(escape("**"), "\\*\\*");
    }
}
