//! leitmotif answers questions about film music.
//!
//! The flow is one way: a [`question`] is parsed from what the user wrote, [`answer`] looks it up
//! in the [`knowledge`], and [`reply`] renders the answer as an embed that fits Discord's limits.
//! The Discord layer ([`discord`]) and the local console ([`cli`]) only carry text in and replies out.

pub mod answer;
pub mod cli;
pub mod curation;
pub mod discord;
pub mod engine;
pub mod knowledge;
pub mod question;
pub mod reply;
pub mod text;
