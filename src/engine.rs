//! One message's whole trip: parse the question, answer it, render the reply. Both the Discord
//! layer and the console go through here, so they answer alike.

use crate::answer::{Answer, answer, answer_with};
use crate::knowledge::Knowledge;
use crate::knowledge::Lookup;
use crate::question::{Form, Parsed, Question, Templates, parse};
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
        let (parsed, answer) = self.understand(knowledge, message);
        let reply = self.render(knowledge, &answer);
        Exchange {
            parsed,
            answer,
            reply,
        }
    }

    /// Parses a message and answers it, without rendering: the reading answered (a doubtful
    /// one whose names are found, else the sure one) and its answer.
    pub fn understand(&self, knowledge: &Knowledge, message: &str) -> (Parsed, Answer) {
        let mut parsed = self.parse(message);
        let doubtful = std::mem::take(&mut parsed.doubtful);
        match first_answer(knowledge, doubtful, Lookup::Forgiving, Answer::is_answered) {
            Some((question, answer)) => {
                parsed.question = question;
                (parsed, answer)
            }
            None => {
                let answer = answer(knowledge, &parsed.question);
                (parsed, answer)
            }
        }
    }

    /// Answers a chat message nobody addressed to the bot, if it is a question in words whose
    /// names are all found for sure: anything else is chat the bot should stay out of. Cheap
    /// when the answer is no, as it is for nearly every message: no typo search, no rendering.
    pub fn answer_unasked(&self, knowledge: &Knowledge, message: &str) -> Option<Exchange> {
        let (parsed, answer) = self.understand_unasked(knowledge, message)?;
        let reply = self.render(knowledge, &answer);
        Some(Exchange {
            parsed,
            answer,
            reply,
        })
    }

    /// [`Engine::answer_unasked`] without rendering: what was understood, and its answer.
    pub fn understand_unasked(
        &self,
        knowledge: &Knowledge,
        message: &str,
    ) -> Option<(Parsed, Answer)> {
        let mut parsed = self.parse(message);
        if parsed.form != Form::Question {
            return None;
        }
        let mut readings = std::mem::take(&mut parsed.doubtful);
        readings.push(parsed.question);
        let (question, answer) =
            first_answer(knowledge, readings, Lookup::Sure, Answer::is_certain)?;
        parsed.question = question;
        Some((parsed, answer))
    }

    /// Renders an answer.
    pub fn render(&self, knowledge: &Knowledge, answer: &Answer) -> Reply {
        render_with(knowledge, answer, &self.options)
    }
}

/// The first of `readings`, in order, whose answer (names looked up as `lookup` says) is
/// `good`, with that answer.
fn first_answer(
    knowledge: &Knowledge,
    readings: Vec<Question>,
    lookup: Lookup,
    good: fn(&Answer) -> bool,
) -> Option<(Question, Answer)> {
    readings.into_iter().find_map(|reading| {
        let answer = answer_with(knowledge, &reading, lookup);
        good(&answer).then_some((reading, answer))
    })
}
