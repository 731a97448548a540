//! The command line: `ask`, `check`, `schema`, the local console, and starting the bot.

mod console;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::engine::Engine;
use crate::knowledge::{self, Knowledge};
use crate::reply::{to_discord_json, to_plain_text};

/// Exit status when the bot answered.
pub const EXIT_ANSWERED: u8 = 0;
/// Exit status when the bot has no answer (it says so).
pub const EXIT_NO_ANSWER: u8 = 1;
/// Exit status for usage errors and knowledge that cannot be loaded.
pub const EXIT_ERROR: u8 = 2;

/// leitmotif answers questions about film music, on Discord or in a terminal.
#[derive(Debug, Parser)]
#[command(name = "leitmotif", version, about)]
pub struct Cli {
    /// The knowledge directory.
    #[arg(
        long,
        global = true,
        env = "LEITMOTIF_KNOWLEDGE_DIR",
        default_value = "knowledge"
    )]
    pub knowledge: PathBuf,

    /// What to do; without one, run the bot if DISCORD_TOKEN is set, else the console.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer one question and exit (0 answered, 1 no answer, 2 error).
    Ask {
        /// Print the reply as the Discord message it would be (JSON).
        #[arg(long)]
        json: bool,
        /// The question, e.g. "who scored Psycho?" or "/define leitmotif".
        #[arg(required = true, num_args = 1..)]
        question: Vec<String>,
    },
    /// Ask questions interactively until end of input.
    Console,
    /// Check a knowledge directory and list every problem as file:line:column: message.
    Check {
        /// The directory to check (default: the knowledge directory).
        dir: Option<PathBuf>,
    },
    /// Write the knowledge JSON Schemas (for editors) into a directory.
    Schema {
        /// Where to write them.
        #[arg(default_value = "knowledge/schema")]
        dir: PathBuf,
    },
}

/// Runs the command line; returns the process exit status.
pub fn run(cli: Cli) -> ExitCode {
    let code = match cli.command {
        Some(Command::Ask { json, question }) => ask(&cli.knowledge, &question.join(" "), json),
        Some(Command::Console) | None => match load(&cli.knowledge) {
            Ok(knowledge) => console::run(&knowledge),
            Err(code) => code,
        },
        Some(Command::Check { dir }) => check(&dir.unwrap_or(cli.knowledge)),
        Some(Command::Schema { dir }) => match knowledge::schema::write_schemas(&dir) {
            Ok(()) => {
                println!("wrote the knowledge schemas to {}", dir.display());
                EXIT_ANSWERED
            }
            Err(error) => {
                eprintln!("error: cannot write schemas to {}: {error}", dir.display());
                EXIT_ERROR
            }
        },
    };
    ExitCode::from(code)
}

/// Loads the knowledge, or prints why not and gives the exit status.
pub fn load(dir: &std::path::Path) -> Result<Knowledge, u8> {
    knowledge::load_dir(dir).map_err(|error| {
        eprintln!(
            "error: cannot load the knowledge from {}: {error}",
            dir.display()
        );
        if matches!(error, knowledge::LoadError::Io { .. }) {
            eprintln!(
                "hint: run from the repository root, or set --knowledge / LEITMOTIF_KNOWLEDGE_DIR"
            );
        }
        EXIT_ERROR
    })
}

fn ask(dir: &std::path::Path, question: &str, json: bool) -> u8 {
    let knowledge = match load(dir) {
        Ok(knowledge) => knowledge,
        Err(code) => return code,
    };
    let exchange = Engine::new("/").ask(&knowledge, question);
    let out = if json {
        let mut text =
            serde_json::to_string_pretty(&to_discord_json(&exchange.reply)).unwrap_or_default();
        text.push('\n');
        text
    } else {
        to_plain_text(&exchange.reply)
    };
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return EXIT_ERROR;
    }
    if exchange.reply.answered {
        EXIT_ANSWERED
    } else {
        EXIT_NO_ANSWER
    }
}

fn check(dir: &std::path::Path) -> u8 {
    match knowledge::load_dir(dir) {
        Ok(knowledge) => {
            println!(
                "{}: ok, {} films, {} composers, {} terms",
                dir.display(),
                knowledge.films().len(),
                knowledge.composers().len(),
                knowledge.terms().len()
            );
            EXIT_ANSWERED
        }
        Err(knowledge::LoadError::Invalid(problems)) => {
            for problem in &problems {
                println!("{problem}");
            }
            eprintln!("{}: {} problem(s)", dir.display(), problems.len());
            EXIT_NO_ANSWER
        }
        Err(error) => {
            eprintln!("error: {error}");
            EXIT_ERROR
        }
    }
}
