//! One message's whole trip: parse the question, answer it, render the reply. Both the Discord
//! layer and the console go through here, so they answer alike.

use crate::answer::{Answer, answer};
use crate::knowledge::Knowledge;
use crate::question::{Parsed, Templates, parse};
use crate::reply::{Reply, render::RenderOptions, render_with};

/// The question templates, compiled once, and how replies are rendered.
#[derive(Debug, Default)]
pub struct Engine {
    templates: Templates,
    options: RenderOptions,
}

/// The result of asking: what was understood, what was found, and what to show.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The parsed question.
    pub parsed: Parsed,
    /// The answer.
    pub answer: Answer,
    /// The reply to show.
    pub reply: Reply,
}

impl Engine {
    /// An engine whose help text shows `command_prefix` before command names.
    pub fn new(command_prefix: &str) -> Engine {
        Engine {
            templates: Templates::new(),
            options: RenderOptions {
                command_prefix: command_prefix.to_string(),
            },
        }
    }

    /// Parses a message.
    pub fn parse(&self, message: &str) -> Parsed {
        parse(&self.templates, message)
    }

    /// Answers a message from `knowledge`.
    pub fn ask(&self, knowledge: &Knowledge, message: &str) -> Exchange {
        let parsed = self.parse(message);
        let answer = answer(knowledge, &parsed.question);
        let reply = self.render(knowledge, &answer);
        Exchange {
            parsed,
            answer,
            reply,
        }
    }

    /// Renders an answer.
    pub fn render(&self, knowledge: &Knowledge, answer: &Answer) -> Reply {
        render_with(knowledge, answer, &self.options)
    }
}
