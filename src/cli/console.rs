//! The local console: type questions, read answers, until end of input. Works with no Discord
//! account, and shows exactly what the bot would say.

use std::io::{BufRead, IsTerminal, Write};

use super::{EXIT_ANSWERED, EXIT_ERROR};
use crate::engine::Engine;
use crate::knowledge::Knowledge;
use crate::reply::to_plain_text;

/// Runs the console on standard input and output.
pub fn run(knowledge: &Knowledge) -> u8 {
    let interactive = std::io::stdin().is_terminal();
    let engine = Engine::new("/");
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if interactive {
        let _ = writeln!(
            out,
            "leitmotif console: {} films, {} composers, {} terms. Ask a question (\"who scored Psycho?\", \"/help\"); Ctrl-D to quit.",
            knowledge.films().len(),
            knowledge.composers().len(),
            knowledge.terms().len()
        );
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    loop {
        if interactive {
            let _ = write!(out, "> ");
            let _ = out.flush();
        }
        let line = match lines.next() {
            None => break,
            Some(Ok(line)) => line,
            Some(Err(error)) => {
                eprintln!("error: cannot read input: {error}");
                return EXIT_ERROR;
            }
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if matches!(line, "quit" | "exit" | "/quit" | "/exit") {
            break;
        }
        let exchange = engine.ask(knowledge, line);
        if writeln!(out, "{}", to_plain_text(&exchange.reply)).is_err() {
            return EXIT_ERROR;
        }
    }
    EXIT_ANSWERED
}
