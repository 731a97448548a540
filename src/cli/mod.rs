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

    /// The bot's settings (used by `run`, and when no command is given and a token is set).
    #[command(flatten)]
    pub bot: BotArgs,

    /// What to do; without one, run the bot if DISCORD_TOKEN is set, else the console.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Settings for running the Discord bot.
#[derive(Debug, clap::Args)]
pub struct BotArgs {
    /// The bot token.
    #[arg(long, global = true, env = "DISCORD_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Where the bot writes its own data.
    #[arg(
        long,
        global = true,
        env = "LEITMOTIF_DATA_DIR",
        default_value = "data"
    )]
    pub data_dir: PathBuf,
    /// Register commands in this guild only (instant; for development). Global otherwise.
    #[arg(long, global = true, env = "LEITMOTIF_DEV_GUILD")]
    pub dev_guild: Option<u64>,
    /// Base URL of a Discord-compatible API: a rate-limiting proxy, or a test server.
    #[arg(long, global = true, env = "DISCORD_API_URL")]
    pub api_url: Option<String>,
    /// Text prefix for commands in chat ("!score psycho"); empty to turn off.
    #[arg(long, global = true, env = "LEITMOTIF_PREFIX", default_value = "!")]
    pub prefix: String,
    /// Channel ids (comma-separated) where the bot answers questions it is sure about unasked.
    #[arg(
        long,
        global = true,
        env = "LEITMOTIF_CHAT_CHANNELS",
        value_delimiter = ','
    )]
    pub chat_channels: Vec<u64>,
    /// Guild ids (comma-separated) where it does so in every channel.
    #[arg(
        long,
        global = true,
        env = "LEITMOTIF_CHAT_GUILDS",
        value_delimiter = ','
    )]
    pub chat_guilds: Vec<u64>,
    /// Ask for the privileged Message Content intent (needed to see questions that do not
    /// mention the bot in opted-in channels).
    #[arg(long, global = true, env = "LEITMOTIF_MESSAGE_CONTENT")]
    pub message_content: bool,
    /// Seconds during which the same question in the same channel is answered once.
    #[arg(
        long,
        global = true,
        env = "LEITMOTIF_COOLDOWN_SECS",
        default_value_t = crate::discord::DEFAULT_COOLDOWN.as_secs()
    )]
    pub cooldown_secs: u64,
    /// Shards this process runs, as FIRST:COUNT:TOTAL (e.g. 0:4:8); Discord's recommendation
    /// for the whole bot otherwise.
    #[arg(long, global = true, env = "LEITMOTIF_SHARDS", value_parser = parse_shards)]
    pub shards: Option<(u32, u32, u32)>,
}

fn parse_shards(text: &str) -> Result<(u32, u32, u32), String> {
    let parts: Vec<&str> = text.split(':').collect();
    let numbers: Result<Vec<u32>, _> = parts.iter().map(|p| p.trim().parse::<u32>()).collect();
    match numbers.as_deref() {
        Ok([first, count, total]) if *count > 0 && first + count <= *total => {
            Ok((*first, *count, *total))
        }
        _ => Err(
            "expected FIRST:COUNT:TOTAL with FIRST + COUNT <= TOTAL and COUNT > 0, e.g. 0:4:8"
                .into(),
        ),
    }
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
    /// Run the Discord bot (needs DISCORD_TOKEN).
    Run,
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
        Some(Command::Run) => run_bot(&cli.knowledge, cli.bot),
        None if cli
            .bot
            .token
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty()) =>
        {
            run_bot(&cli.knowledge, cli.bot)
        }
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

fn run_bot(dir: &std::path::Path, args: BotArgs) -> u8 {
    init_logging();
    let Some(token) = args.token.filter(|t| !t.trim().is_empty()) else {
        eprintln!(
            "error: DISCORD_TOKEN is not set; set it (or pass --token) to run the bot, or run without a command for the console"
        );
        return EXIT_ERROR;
    };
    let sources = match crate::discord::read_knowledge(dir, &args.data_dir) {
        Ok(sources) => sources,
        Err(error) => {
            eprintln!(
                "error: cannot load the knowledge from {}: {error}",
                dir.display()
            );
            return EXIT_ERROR;
        }
    };
    let (curator, damaged) = match crate::curation::Curator::open(&args.data_dir, sources) {
        Ok(opened) => opened,
        Err(problems) => {
            eprintln!(
                "error: cannot load the knowledge from {}: {}",
                dir.display(),
                knowledge::LoadError::Invalid(problems)
            );
            return EXIT_ERROR;
        }
    };
    for problem in damaged {
        tracing::error!(
            "{problem}; that server is served the shipped knowledge and its changes are paused"
        );
    }
    let shipped = curator.knowledge(None);
    tracing::info!(
        films = shipped.films().len(),
        composers = shipped.composers().len(),
        terms = shipped.terms().len(),
        "knowledge loaded"
    );
    let config = crate::discord::Config {
        token: token.trim().to_string(),
        knowledge_dir: dir.to_path_buf(),
        dev_guild: args.dev_guild,
        api_url: args.api_url,
        prefix: args.prefix,
        chat_channels: args.chat_channels.into_iter().collect(),
        chat_guilds: args.chat_guilds.into_iter().collect(),
        message_content: args.message_content,
        cooldown: std::time::Duration::from_secs(args.cooldown_secs),
        shards: args.shards,
    };
    let state = std::sync::Arc::new(crate::discord::State::new(curator, config.clone()));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return EXIT_ERROR;
        }
    };
    match runtime.block_on(crate::discord::run(config, state)) {
        Ok(()) => {
            tracing::info!("stopped");
            EXIT_ANSWERED
        }
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("error: {error:#}");
            EXIT_ERROR
        }
    }
}

/// Logs to standard error, filtered by RUST_LOG (default: info for leitmotif, warnings otherwise).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,leitmotif=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
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
