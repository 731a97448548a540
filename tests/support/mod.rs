//! What the end-to-end tests share: a Discord server on loopback with a few users and
//! channels, and the real bot binary run against it, its log collected line by line.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fake_discord::{Channel, Config, FakeDiscord, Guild, Member, Role, User};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::Notify;

pub const TOKEN: &str = "test-token";
pub const GUILD: u64 = 100;
pub const CHANNEL: u64 = 101;
pub const ALICE: u64 = 7;
pub const BOB: u64 = 8;
pub const BOT: u64 = 900;
pub const WAIT: Duration = Duration::from_secs(20);

/// A second server, where nothing the first one adds may show.
pub const OTHER_GUILD: u64 = 200;
/// Its channel.
pub const OTHER_CHANNEL: u64 = 201;
/// A member with no role.
pub const CAROL: u64 = 9;
/// Discord's Manage Server permission bit.
pub const MANAGE_GUILD: u64 = 1 << 5;
/// A role with Manage Server: Alice has it.
pub const MODERATORS: u64 = 300;
/// A role without it: Bob has it.
pub const HELPERS: u64 = 301;

pub fn discord_config() -> Config {
    Config::new(TOKEN)
        .bot(User::bot(BOT, "leitmotif"))
        .user(User::new(ALICE, "alice"))
        .user(User::new(BOB, "bob"))
        .user(User::new(CAROL, "carol"))
        .guild(
            Guild::new(GUILD, "film music fans")
                .channel(Channel::text(CHANNEL, "general"))
                .role(Role::new(MODERATORS, "moderators", MANAGE_GUILD))
                .role(Role::new(HELPERS, "helpers", 0))
                .member(Member::new(ALICE).roles([MODERATORS]))
                .member(Member::new(BOB).roles([HELPERS]))
                .member(Member::new(CAROL)),
        )
        .guild(
            Guild::new(OTHER_GUILD, "another server")
                .channel(Channel::text(OTHER_CHANNEL, "general"))
                .member(Member::new(ALICE))
                .member(Member::new(BOB)),
        )
}

/// The bot process, with its log (standard error) collected line by line; killed when dropped.
pub struct Bot {
    process: Child,
    log: Arc<Log>,
}

#[derive(Default)]
pub struct Log {
    lines: Mutex<Vec<String>>,
    added: Notify,
}

impl Bot {
    pub fn spawn(mut command: Command) -> Bot {
        let mut process = command.spawn().expect("the bot starts");
        let log = Arc::new(Log::default());
        let stderr = process.stderr.take().expect("stderr is piped");
        let sink = log.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                sink.lines.lock().expect("log lock").push(line);
                sink.added.notify_waiters();
            }
        });
        Bot { process, log }
    }

    /// Waits until the log has a line containing `needle` (counting lines already there).
    pub async fn wait_for_log(&self, needle: &str) -> String {
        let found = async {
            loop {
                let added = self.log.added.notified();
                if let Some(line) = self
                    .log
                    .lines
                    .lock()
                    .expect("log lock")
                    .iter()
                    .find(|l| l.contains(needle))
                {
                    return line.clone();
                }
                added.await;
            }
        };
        tokio::time::timeout(WAIT, found)
            .await
            .unwrap_or_else(|_| panic!("no log line with {needle:?}: {:?}", self.log()))
    }

    pub fn log(&self) -> Vec<String> {
        self.log.lines.lock().expect("log lock").clone()
    }

    /// Kills the process outright (SIGKILL), as a crash or the OOM killer would.
    pub async fn kill(&mut self) {
        self.process.start_kill().expect("kill");
        let _ = self.process.wait().await;
    }

    /// Sends SIGTERM and waits for the process to end; returns its exit code.
    pub async fn terminate(&mut self) -> Option<i32> {
        let pid = self.process.id().expect("running");
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let status = tokio::time::timeout(WAIT, self.process.wait())
            .await
            .expect("exits after SIGTERM")
            .expect("status");
        status.code()
    }

    /// Every line the bot logged at WARN or above: questions being asked are not a reason to
    /// warn an operator.
    pub fn warnings(&self) -> Vec<String> {
        self.log()
            .into_iter()
            .filter(|l| l.contains("WARN") || l.contains("ERROR"))
            .collect()
    }

    /// serenity drops a payload it cannot read with only a warning: a broken fake, or a broken
    /// bot, would otherwise look like a silent bot.
    pub fn assert_no_serenity_warnings(&self) {
        let warnings: Vec<String> = self
            .log()
            .into_iter()
            .filter(|l| l.contains("WARN") && l.contains("serenity"))
            .collect();
        assert!(warnings.is_empty(), "serenity warned: {warnings:#?}");
    }
}

pub fn bot_command(fake: &FakeDiscord, token: &str, knowledge: &Path, data: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_leitmotif"));
    command
        .arg("run")
        .env("DISCORD_TOKEN", token)
        .env("DISCORD_API_URL", fake.api_url())
        .env("LEITMOTIF_DEV_GUILD", GUILD.to_string())
        .env("LEITMOTIF_KNOWLEDGE_DIR", knowledge)
        .env("LEITMOTIF_DATA_DIR", data)
        .env("RUST_LOG", "warn,leitmotif=info")
        .env_remove("LEITMOTIF_MESSAGE_CONTENT")
        .env_remove("LEITMOTIF_CHAT_CHANNELS")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

pub fn shipped_knowledge() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")
}

pub async fn start_with(fake: &FakeDiscord, command: Command) -> Bot {
    let bot = Bot::spawn(command);
    fake.wait_ready(WAIT).await;
    // Commands are registered in setup, after READY: once they are, the bot handles events.
    fake.wait_for(
        |r| r.method == "PUT" && r.api_path().ends_with(&format!("/guilds/{GUILD}/commands")),
        WAIT,
    )
    .await;
    bot
}

pub async fn start(fake: &FakeDiscord, data: &Path) -> Bot {
    start_with(fake, bot_command(fake, TOKEN, &shipped_knowledge(), data)).await
}

pub fn replies_to(fake: &FakeDiscord, channel: u64, message: u64) -> Vec<Value> {
    fake.messages_in(channel)
        .into_iter()
        .filter(|m| m["message_reference"]["message_id"].as_str() == Some(&message.to_string()))
        .collect()
}

pub async fn reply_to(fake: &FakeDiscord, channel: u64, message: u64) -> Value {
    let id = message.to_string();
    fake.wait_for_message(
        channel,
        |m| m["message_reference"]["message_id"].as_str() == Some(id.as_str()),
        WAIT,
    )
    .await
}

pub fn embed(message: &Value) -> &Value {
    &message["embeds"][0]
}

pub fn text_of(message: &Value) -> String {
    let e = embed(message);
    let mut text = format!(
        "{}\n{}",
        e["title"].as_str().unwrap_or(""),
        e["description"].as_str().unwrap_or("")
    );
    for field in e["fields"].as_array().into_iter().flatten() {
        text.push_str(&format!(
            "\n{}\n{}",
            field["name"].as_str().unwrap_or(""),
            field["value"].as_str().unwrap_or("")
        ));
    }
    text
}

/// Every reply the bot sent carried `allowed_mentions` that ping no one, Discord would have
/// accepted every request, and the bot could read every event.
pub fn assert_no_pings(fake: &FakeDiscord) {
    for request in fake.requests() {
        let Some(body) = &request.body else { continue };
        let message = if body.get("data").is_some() {
            &body["data"]
        } else {
            body
        };
        if message.get("embeds").is_some() || message.get("content").is_some() {
            let parse = message["allowed_mentions"]["parse"].as_array();
            assert!(
                parse.is_some_and(|p| p.is_empty()),
                "a reply could ping: {} {body}",
                request.path
            );
        }
        if let Some(mentions) = &request.mentions {
            assert!(
                !mentions.pings_anyone(),
                "{} pings: {mentions:?}",
                request.path
            );
        }
    }
    assert!(
        fake.violations().is_empty(),
        "Discord would reject: {:?}",
        fake.violations()
    );
    // serenity drops an event it cannot read with only a debug line: the fake checks every
    // event it sends against serenity's types instead.
    assert!(
        fake.payload_errors().is_empty(),
        "the bot could not read: {:?}",
        fake.payload_errors()
    );
}

/// A copy of the shipped knowledge in a temporary directory, for a test to edit.
pub fn shipped_knowledge_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&shipped_knowledge(), dir.path());
    dir
}

/// Copies the directory `from`, and all below it, to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}
