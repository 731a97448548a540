//! End to end through the fake Discord on loopback: the time from an event leaving the server
//! (a slash command, an autocomplete keystroke, or a message that mentions the bot) to the bot's
//! reply arriving back at it, at 1 and at 200 events a second.
//!
//! Four bots run side by side in the same run, each in a process of its own against its own
//! fake Discord: the real bot (the release binary, as shipped, with the shipped knowledge); the
//! floor, a minimal serenity bot that answers every event with a fixed reply
//! (`fake_discord::spawn_echo_bot_at`, run by a copy of this benchmark's own binary started as a
//! child); the floor answering with a message of 2,000 characters, which shows what the size of
//! the bot's replies costs on its own; and the floor answering through poise, as the bot does. They
//! all get the same events; at 1 a second they take turns a fraction of a second apart; at 200 a
//! second they take turns by the batch (a second each, twenty turns), so none measures while
//! another works, and then event by event (each event to every bot in turn, a quarter of the
//! 5 ms period apart), so that slow spells of the machine, long or short, fall on all alike.
//!
//! `cargo bench --bench e2e` (about four minutes); `cargo bench --bench e2e -- --test` for a
//! quick check that it runs.
//!
//! To count instructions rather than time them, run every bot under a tool, and set how many
//! events the quick run sends at 200 a second; two runs with different counts, subtracted,
//! cancel start-up out:
//!
//! ```text
//! LEITMOTIF_BENCH_WRAP="valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p.out" \
//!     LEITMOTIF_BENCH_EVENTS=300 cargo bench --bench e2e -- --test
//! ```
//!
//! To compare two builds of the bot in one run, under the same conditions, give the other
//! build's binary (a copy: `cargo` replaces its own): it runs as one more target, the
//! "baseline", and the bot is set against it as well as against the floor.
//!
//! ```text
//! cp target/release/leitmotif /tmp/leitmotif-before   # then change the bot
//! LEITMOTIF_BENCH_BASELINE=/tmp/leitmotif-before cargo bench --bench e2e
//! ```

mod support;

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_discord::{
    Channel, CommandOption, Config, FakeDiscord, Guild, Member, SlashCommand, User, UserMessage,
};
use tokio::runtime::Runtime;

use support::{CELLS_HEADER, Latencies};

const TOKEN: &str = "bench-token";
const GUILD: u64 = 100;
const CHANNEL: u64 = 101;
const ALICE: u64 = 7;
const BOT: u64 = 900;
/// How long a bot may take to start: longer under a tool such as valgrind.
fn startup() -> Duration {
    if std::env::var_os(WRAP).is_some() {
        Duration::from_secs(600)
    } else {
        Duration::from_secs(60)
    }
}
/// A command line to run each bot under (`LEITMOTIF_BENCH_WRAP`), such as a profiler.
const WRAP: &str = "LEITMOTIF_BENCH_WRAP";

/// `program`, run under the command in [`WRAP`] when it is set.
fn wrapped(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let wrap = std::env::var(WRAP).unwrap_or_default();
    let mut words = wrap.split_whitespace();
    match words.next() {
        Some(tool) => {
            let mut command = Command::new(tool);
            command.args(words).arg(program);
            command
        }
        None => Command::new(program),
    }
}

/// What a user does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Slash,
    Autocomplete,
    Message,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Slash, Kind::Autocomplete, Kind::Message];

    fn label(self) -> &'static str {
        match self {
            Kind::Slash => "/score film",
            Kind::Autocomplete => "autocomplete",
            Kind::Message => "@mention question",
        }
    }
}

/// One event to send: the same list goes to both bots.
#[derive(Debug, Clone)]
struct Event {
    kind: Kind,
    text: String,
}

/// One sent event: what it was, its id, when it left the server.
struct Sent {
    kind: Kind,
    id: u64,
    at: Instant,
}

/// A bot under test and the fake Discord it talks to.
struct Target {
    name: &'static str,
    fake: Arc<FakeDiscord>,
}

/// The bot's binary from another build, to run beside this one.
const BASELINE: &str = "LEITMOTIF_BENCH_BASELINE";
const BASELINE_NAME: &str = "baseline (LEITMOTIF_BENCH_BASELINE)";

/// Set in a child process that is to be a floor bot: the fake Discord's API URL.
const FLOOR_API_URL: &str = "LEITMOTIF_BENCH_FLOOR_API_URL";
/// And the fixed reply it gives.
const FLOOR_REPLY: &str = "LEITMOTIF_BENCH_FLOOR_REPLY";
/// And, when set, that it answers through poise, as the bot does, rather than serenity alone.
const FLOOR_ON_POISE: &str = "LEITMOTIF_BENCH_FLOOR_ON_POISE";

fn main() {
    if let (Ok(api_url), Ok(reply)) = (std::env::var(FLOOR_API_URL), std::env::var(FLOOR_REPLY)) {
        floor_child(&api_url, reply, std::env::var_os(FLOOR_ON_POISE).is_some());
        return;
    }
    let quick = support::quick();
    println!("machine: {}", support::machine());
    let events = events();
    let (warm_up, at_1, mut at_200, batches) = if quick {
        (6, 3, 30, 1)
    } else {
        (60, 120, 200, 20)
    };
    if let Some(events) = std::env::var("LEITMOTIF_BENCH_EVENTS")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        at_200 = events;
    }

    // The fake Discords and the driver on one runtime; every bot is a process of its own.
    let runtime = new_runtime("fake-discord");
    let start_fake = || Arc::new(runtime.block_on(FakeDiscord::start(discord_config())));
    let (bot_fake, floor_fake, big_floor_fake, poise_floor_fake) =
        (start_fake(), start_fake(), start_fake(), start_fake());

    let data = tempfile::tempdir().expect("a data directory");
    let start_bot = |exe: &Path, fake: &FakeDiscord, name: &str| {
        let data = data.path().join(name);
        std::fs::create_dir_all(&data).expect("a data directory");
        let log = data.join("bot.log");
        let process = spawn_bot(exe, fake, &data, &log);
        runtime.block_on(async {
            fake.wait_ready(startup()).await;
            // Commands are registered after READY; once they are, the bot handles events.
            let commands = format!("/guilds/{GUILD}/commands");
            fake.wait_for(
                |r| r.method == "PUT" && r.api_path().ends_with(&commands),
                startup(),
            )
            .await;
        });
        (process, log)
    };
    let (mut bot_process, log_path) =
        start_bot(Path::new(env!("CARGO_BIN_EXE_leitmotif")), &bot_fake, "bot");
    let baseline = std::env::var_os(BASELINE).map(|exe| {
        let fake = start_fake();
        let (process, log) = start_bot(Path::new(&exe), &fake, "baseline");
        (fake, process, log)
    });
    // The floor, and the floor sending as much as the bot does: the bot's replies are embeds of
    // one to three thousand bytes of JSON, the floor's a line, and moving bytes costs time too.
    let short_reply = "A fixed reply, the same for every event.".to_string();
    let long_reply =
        "A fixed reply of Discord's longest message content. ".repeat(40)[..2000].to_string();
    let floors: Vec<Child> = [
        (&floor_fake, &short_reply, false),
        (&big_floor_fake, &long_reply, false),
        (&poise_floor_fake, &short_reply, true),
    ]
    .into_iter()
    .enumerate()
    .map(|(n, (fake, reply, on_poise))| {
        let floor = spawn_floor(
            fake,
            reply,
            on_poise,
            &data.path().join(format!("floor-{n}")),
        );
        runtime.block_on(fake.wait_ready(startup()));
        floor
    })
    .collect();

    let mut targets = vec![
        Target {
            name: "floor (echo bot)",
            fake: floor_fake,
        },
        Target {
            name: "floor, 2,000-character reply",
            fake: big_floor_fake,
        },
        Target {
            name: "floor on poise",
            fake: poise_floor_fake,
        },
    ];
    if let Some((fake, _, _)) = &baseline {
        targets.push(Target {
            name: BASELINE_NAME,
            fake: fake.clone(),
        });
    }
    // The bot is the last target.
    targets.push(Target {
        name: "leitmotif",
        fake: bot_fake,
    });

    // In the order of `targets`.
    let pids: Vec<u32> = floors
        .iter()
        .chain(baseline.as_ref().map(|(_, process, _)| process))
        .chain(std::iter::once(&bot_process))
        .map(Child::id)
        .collect();
    let usage_now = || -> Vec<Option<Usage>> { pids.iter().map(|&pid| Usage::of(pid)).collect() };
    runtime.block_on(async {
        // Connections and caches warm up first; not measured.
        for target in &targets {
            let sent = send_paced(target, &events[..warm_up], 50.0).await;
            collect(target, &sent).await;
        }
        let usage_before = usage_now();
        let mut results: Vec<(&str, &str, HashMap<Kind, Latencies>, usize)> = Vec::new();

        // 1 event a second to each bot, spread evenly over the second.
        for ((latencies, missing), target) in interleaved(&targets, &events[..at_1], 1.0)
            .await
            .into_iter()
            .zip(&targets)
        {
            results.push(("1/s", target.name, latencies, missing));
        }

        // 200 a second, in short batches taken in turn, who goes first changing from batch to
        // batch: this VM has slow spells of seconds, and every target should see them alike.
        let mut at_200s: Vec<(HashMap<Kind, Latencies>, usize)> =
            targets.iter().map(|_| (HashMap::new(), 0)).collect();
        // Each batch's p50 for each target, to compare targets batch by batch.
        let mut batch_p50s: Vec<Vec<Duration>> = targets.iter().map(|_| Vec::new()).collect();
        for batch in 0..batches {
            let slice: Vec<Event> = events
                .iter()
                .cycle()
                .skip(batch * at_200)
                .take(at_200)
                .cloned()
                .collect();
            for n in 0..targets.len() {
                let n = (n + batch) % targets.len();
                let target = &targets[n];
                let sent = send_paced(target, &slice, 200.0).await;
                let (latencies, missing) = collect(target, &sent).await;
                let mut all = Latencies::default();
                latencies.values().for_each(|l| all.extend(l));
                if !all.is_empty() {
                    batch_p50s[n].push(all.percentile(50.0));
                }
                merge(&mut at_200s[n].0, latencies);
                at_200s[n].1 += missing;
            }
        }
        for ((latencies, missing), target) in at_200s.into_iter().zip(&targets) {
            results.push(("200/s", target.name, latencies, missing));
        }

        // 200 a second again, every event to every target a quarter of the period apart: a
        // slow spell falls on each event of every target alike, whatever its length.
        let side_by_side: Vec<Event> =
            events.iter().cycle().take(batches * at_200).cloned().collect();
        for ((latencies, missing), target) in interleaved(&targets, &side_by_side, 200.0)
            .await
            .into_iter()
            .zip(&targets)
        {
            results.push((SIDE_BY_SIDE, target.name, latencies, missing));
        }
        let usage_after = usage_now();

        println!("\n## End to end on loopback: event sent -> reply received\n");
        println!("| rate | bot | event | samples | missing | {CELLS_HEADER} |");
        println!("|---|---|---|---|---|---|---|---|---|---|");
        for (rate, name, latencies, missing) in &results {
            let mut all = Latencies::default();
            for kind in Kind::ALL {
                if let Some(l) = latencies.get(&kind) {
                    println!(
                        "| {rate} | {name} | {} | {} | | {} |",
                        kind.label(),
                        l.len(),
                        l.cells()
                    );
                    all.extend(l);
                }
            }
            println!(
                "| {rate} | {name} | **all** | {} | {missing} | {} |",
                all.len(),
                all.cells()
            );
        }
        println!("\nAgainst the floor, p50 of all events (budget: leitmotif within +10%):\n");
        for rate in ["1/s", "200/s", SIDE_BY_SIDE] {
            let p50 = |name: &str| {
                let mut all = Latencies::default();
                for (r, n, latencies, _) in &results {
                    if *r == rate && *n == name {
                        latencies.values().for_each(|l| all.extend(l));
                    }
                }
                all.percentile(50.0)
            };
            let floor = p50(targets[0].name);
            for target in &targets[1..] {
                let p = p50(target.name);
                println!(
                    "- {rate}: {} {} against the floor's {}: {:+.1}%",
                    target.name,
                    support::fmt(p),
                    support::fmt(floor),
                    100.0 * (p.as_secs_f64() / floor.as_secs_f64() - 1.0)
                );
            }
            if baseline.is_some() {
                let (p, before) = (p50("leitmotif"), p50(BASELINE_NAME));
                println!(
                    "- {rate}: leitmotif {} against the baseline's {}: {:+.1}%",
                    support::fmt(p),
                    support::fmt(before),
                    100.0 * (p.as_secs_f64() / before.as_secs_f64() - 1.0)
                );
            }
        }
        if batches > 1 {
            println!(
                "\nAt 200/s, batch by batch ({batches} batches of {at_200} events, each target's \
                 p50 against the floor's in the same batch): median, quartiles and range of the \
                 ratios:\n"
            );
            let floor = &batch_p50s[0];
            for (target, p50s) in targets.iter().zip(&batch_p50s).skip(1) {
                let mut ratios: Vec<f64> = p50s
                    .iter()
                    .zip(floor)
                    .map(|(p, f)| 100.0 * (p.as_secs_f64() / f.as_secs_f64() - 1.0))
                    .collect();
                ratios.sort_by(f64::total_cmp);
                let at = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
                if !ratios.is_empty() {
                    println!(
                        "- {}: median {:+.1}%, quartiles {:+.1}% to {:+.1}%, range {:+.1}% to {:+.1}%",
                        target.name,
                        at(0.5),
                        at(0.25),
                        at(0.75),
                        at(0.0),
                        at(1.0)
                    );
                }
            }
        }
        println!(
            "\nWhat each bot's process used per event over both rates ({} events each), \
             all threads, from /proc:\n",
            at_1 + batches * at_200
        );
        println!(
            "| bot | user CPU | system CPU | minor page faults | voluntary switches | \
             involuntary switches |"
        );
        println!("|---|---|---|---|---|---|");
        for ((before, after), target) in usage_before.iter().zip(&usage_after).zip(&targets) {
            if let (Some(before), Some(after)) = (before, after) {
                println!(
                    "| {} | {} |",
                    target.name,
                    before.row_until(*after, at_1 + batches * at_200)
                );
            }
        }
        println!("\nREST calls each bot made per event over the whole run, by route:\n");
        for target in &targets {
            let mut routes: std::collections::BTreeMap<String, usize> = Default::default();
            let requests = target.fake.requests();
            for request in &requests {
                let route = request.route.unwrap_or("(unknown)");
                *routes
                    .entry(format!("{} {route}", request.method))
                    .or_default() += 1;
            }
            let all_events = warm_up + at_1 + batches * at_200;
            let listed: Vec<String> = routes
                .iter()
                .filter(|(_, n)| **n * 100 >= all_events)
                .map(|(route, n)| format!("{route} {:.2}", *n as f64 / all_events as f64))
                .collect();
            println!("- {}: {}", target.name, listed.join(", "));
        }
        // The bot is the last target.
        let problems = targets[targets.len() - 1].fake.violations();
        if !problems.is_empty() {
            println!(
                "\nDiscord would have rejected {} replies: {problems:?}",
                problems.len()
            );
        }
    });

    for mut floor in floors {
        // Its standard input closing is its signal to close the gateway and exit.
        drop(floor.stdin.take());
        let _ = floor.wait();
    }
    stop(&mut bot_process, &log_path, "the bot");
    if let Some((_, mut process, log)) = baseline {
        stop(&mut process, &log, "the baseline");
    }
    drop(runtime);
}

fn new_runtime(name: &str) -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(name)
        .enable_all()
        .build()
        .expect("a runtime")
}

fn discord_config() -> Config {
    Config::new(TOKEN)
        .bot(User::bot(BOT, "leitmotif"))
        .user(User::new(ALICE, "alice"))
        .guild(
            Guild::new(GUILD, "film music fans")
                .channel(Channel::text(CHANNEL, "general"))
                .member(Member::new(ALICE)),
        )
}

/// A floor bot in a process of its own: this benchmark's binary, started again as a child.
///
/// Each floor runs from a copy of the binary at `copy`: processes of one file share its code in
/// memory, so the floors and this benchmark's own fake Discords (tokio, hyper and serde_json
/// are in all of them) would keep that code in the processor's caches for each other, which the
/// bot, a binary of its own, does not get.
fn spawn_floor(fake: &FakeDiscord, reply: &str, on_poise: bool, copy: &Path) -> Child {
    std::fs::copy(std::env::current_exe().expect("own path"), copy).expect("a copy of the binary");
    let mut command = wrapped(copy);
    if on_poise {
        command.env(FLOOR_ON_POISE, "1");
    }
    command
        .env(FLOOR_API_URL, fake.api_url())
        .env(FLOOR_REPLY, reply)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("the floor bot starts")
}

/// In the child: the floor bot, until standard input closes. A runtime as the real bot's
/// `#[tokio::main]` builds it (a worker a core).
fn floor_child(api_url: &str, reply: String, on_poise: bool) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    // The parent closes standard input to stop the floor.
    let until_stdin_closes = || {
        let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut Vec::new());
    };
    if on_poise {
        let shards = runtime.block_on(poise_floor::start(api_url, reply));
        until_stdin_closes();
        runtime.block_on(shards.shutdown_all());
    } else {
        let floor = runtime
            .block_on(fake_discord::spawn_echo_bot_at(api_url, TOKEN, reply))
            .expect("the floor bot starts");
        until_stdin_closes();
        runtime.block_on(floor.stop());
    }
}

/// The floor again, answering through poise as the bot does: one slash command with an
/// autocompleted option, and mentions answered from poise's event handler, all with the fixed
/// reply. Between it and the plain floor is what poise costs; between it and the bot, what the
/// bot's own work costs.
mod poise_floor {
    use std::sync::Arc;

    use poise::serenity_prelude as serenity;

    type Error = Box<dyn std::error::Error + Send + Sync>;
    type Context<'a> = poise::Context<'a, String, Error>;

    async fn complete(ctx: Context<'_>, _partial: &str) -> serenity::CreateAutocompleteResponse {
        let choice: String = ctx.data().chars().take(100).collect();
        serenity::CreateAutocompleteResponse::new().add_string_choice(choice.clone(), choice)
    }

    #[poise::command(slash_command)]
    async fn score(
        ctx: Context<'_>,
        #[autocomplete = "complete"] film: String,
    ) -> Result<(), Error> {
        let _ = film;
        let reply = poise::CreateReply::default()
            .content(ctx.data().as_str())
            .allowed_mentions(serenity::CreateAllowedMentions::new());
        ctx.send(reply).await?;
        Ok(())
    }

    async fn on_event(
        framework: poise::FrameworkContext<'_, String, Error>,
        event: &serenity::FullEvent,
    ) -> Result<(), Error> {
        if let serenity::FullEvent::Message { new_message } = event
            && !new_message.author.bot
            && new_message.mentions_user_id(framework.bot_id())
        {
            let reply = serenity::CreateMessage::new()
                .content(framework.user_data.as_str())
                .reference_message(new_message)
                .allowed_mentions(serenity::CreateAllowedMentions::new());
            new_message
                .channel_id
                .send_message(&framework.serenity_context.http, reply)
                .await?;
        }
        Ok(())
    }

    /// Starts the client; its shard manager stops it.
    pub async fn start(api_url: &str, reply: String) -> Arc<serenity::ShardManager> {
        let http = serenity::HttpBuilder::new(super::TOKEN)
            .proxy(api_url)
            .ratelimiter_disabled(true)
            .build();
        let framework = poise::Framework::builder()
            .options(poise::FrameworkOptions {
                commands: vec![score()],
                prefix_options: poise::PrefixFrameworkOptions {
                    mention_as_prefix: false,
                    ..Default::default()
                },
                event_handler: |framework, event| Box::pin(on_event(framework, event)),
                ..Default::default()
            })
            .setup(move |_, _, _| Box::pin(async move { Ok(reply) }))
            .build();
        let intents = serenity::GatewayIntents::GUILDS
            | serenity::GatewayIntents::GUILD_MESSAGES
            | serenity::GatewayIntents::DIRECT_MESSAGES;
        let mut client = serenity::ClientBuilder::new_with_http(http, intents)
            .framework(framework)
            .await
            .expect("the poise floor builds");
        let shards = client.shard_manager.clone();
        tokio::spawn(async move { client.start().await });
        shards
    }
}

/// The real bot: a release binary (`exe`), as a user runs it, against `fake`.
fn spawn_bot(exe: &Path, fake: &FakeDiscord, data: &Path, log: &Path) -> Child {
    let log = File::create(log).expect("a log file");
    wrapped(exe)
        .arg("run")
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_API_URL", fake.api_url())
        .env("LEITMOTIF_DEV_GUILD", GUILD.to_string())
        .env("LEITMOTIF_KNOWLEDGE_DIR", support::shipped_dir())
        .env("LEITMOTIF_DATA_DIR", data)
        // The same questions come round again within the default 30 s, and a repeated question
        // in a channel is answered once: without a cooldown every event gets its answer, as
        // every event gets the floor's.
        .env("LEITMOTIF_COOLDOWN_SECS", "0")
        // The shipped default, unless a run asks for another to see what logging costs.
        .env(
            "RUST_LOG",
            std::env::var("LEITMOTIF_BENCH_BOT_RUST_LOG")
                .unwrap_or_else(|_| "warn,leitmotif=info".into()),
        )
        .env_remove("LEITMOTIF_MESSAGE_CONTENT")
        .env_remove("LEITMOTIF_CHAT_CHANNELS")
        .env_remove("LEITMOTIF_CHAT_GUILDS")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|error| panic!("{} starts: {error}", exe.display()))
}

/// Stops the bot with SIGTERM, as Docker does, and shows its log if it complained.
fn stop(bot: &mut Child, log: &Path, who: &str) {
    let _ = Command::new("kill")
        .args(["-TERM", &bot.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = bot.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = bot.kill();
    let _ = bot.wait();
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let complaints: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("WARN") || l.contains("ERROR"))
        .collect();
    if !complaints.is_empty() {
        eprintln!("{who} logged:\n{}", complaints.join("\n"));
    }
}

/// The events, in turn: a slash command for a film by its title, an autocomplete keystroke (a
/// prefix of a name, typos included), a question that mentions the bot.
fn events() -> Vec<Event> {
    let knowledge = support::shipped();
    let titles: Vec<String> = knowledge.films().iter().map(|f| f.title.clone()).collect();
    let partials: Vec<String> = support::names()
        .iter()
        .flat_map(|n| {
            let chars: Vec<char> = n.typed.chars().collect();
            (1..=chars.len().min(12))
                .map(|len| chars[..len].iter().collect::<String>())
                .collect::<Vec<_>>()
        })
        .collect();
    let questions = support::questions();
    (0..2 * questions.len())
        .map(|i| match i % 3 {
            0 => Event {
                kind: Kind::Slash,
                text: titles[i / 3 % titles.len()].clone(),
            },
            1 => Event {
                kind: Kind::Autocomplete,
                text: partials[(i / 3 * 7) % partials.len()].clone(),
            },
            _ => Event {
                kind: Kind::Message,
                text: questions[i / 3 % questions.len()].clone(),
            },
        })
        .collect()
}

fn send(fake: &FakeDiscord, event: &Event) -> Sent {
    let (id, at) = match event.kind {
        Kind::Slash => {
            let sent = fake.slash_command(
                SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "score")
                    .option(CommandOption::string("film", event.text.as_str())),
            );
            (sent.id, sent.at)
        }
        Kind::Autocomplete => {
            let sent = fake.autocomplete(
                SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "score")
                    .option(CommandOption::string("film", event.text.as_str()).focused()),
            );
            (sent.id, sent.at)
        }
        Kind::Message => {
            let sent = fake.message_create(
                UserMessage::in_guild(GUILD, CHANNEL, ALICE, format!("<@{BOT}> {}", event.text))
                    .mention(BOT),
            );
            (sent.id, sent.at)
        }
    };
    Sent {
        kind: event.kind,
        id,
        at,
    }
}

/// Sends `events` to `target` at `rate` a second, on a fixed schedule (a late send does not
/// delay the next).
async fn send_paced(target: &Target, events: &[Event], rate: f64) -> Vec<Sent> {
    let period = Duration::from_secs_f64(1.0 / rate);
    let start = tokio::time::Instant::now();
    let mut sent = Vec::with_capacity(events.len());
    for (i, event) in events.iter().enumerate() {
        tokio::time::sleep_until(start + period * i as u32).await;
        sent.push(send(&target.fake, event));
    }
    sent
}

/// The rate label of the 200-a-second run that sends each event to every target in turn.
const SIDE_BY_SIDE: &str = "200/s, event by event";

/// `rate` events a second to each target, each event to every target in turn, spread evenly
/// over the period.
async fn interleaved(
    targets: &[Target],
    events: &[Event],
    rate: f64,
) -> Vec<(HashMap<Kind, Latencies>, usize)> {
    let start = tokio::time::Instant::now();
    let period = Duration::from_secs_f64(1.0 / rate);
    let offset = period / targets.len() as u32;
    let mut sent: Vec<Vec<Sent>> = targets.iter().map(|_| Vec::new()).collect();
    for (i, event) in events.iter().enumerate() {
        for turn in 0..targets.len() {
            // Who goes first changes from event to event.
            let n = (turn + i) % targets.len();
            let at = start + period * i as u32 + offset * turn as u32;
            tokio::time::sleep_until(at).await;
            sent[n].push(send(&targets[n].fake, event));
        }
    }
    let mut results = Vec::new();
    for (target, sent) in targets.iter().zip(&sent) {
        results.push(collect(target, sent).await);
    }
    results
}

/// Waits for the replies to `sent` (up to ten seconds) and returns their latencies by kind of
/// event, and how many never came. Reply times are when the reply reached the server, recorded
/// by the server itself, so when this looks does not matter.
async fn collect(target: &Target, sent: &[Sent]) -> (HashMap<Kind, Latencies>, usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let replies = replies(&target.fake);
        let missing = sent.iter().filter(|s| !replies.contains_key(&s.id)).count();
        if missing == 0 || Instant::now() > deadline {
            let mut latencies: HashMap<Kind, Latencies> = HashMap::new();
            for s in sent {
                if let Some(&at) = replies.get(&s.id) {
                    latencies
                        .entry(s.kind)
                        .or_default()
                        .push(at.saturating_duration_since(s.at));
                }
            }
            if missing > 0 {
                eprintln!(
                    "{}: {missing} of {} events got no reply",
                    target.name,
                    sent.len()
                );
            }
            return (latencies, missing);
        }
    }
}

/// When the reply to each event arrived, by the event's id: the interaction callback for an
/// interaction, the message that replies to it for a message.
fn replies(fake: &FakeDiscord) -> HashMap<u64, Instant> {
    let mut replies = HashMap::new();
    for r in fake.requests() {
        if r.method != "POST" {
            continue;
        }
        let path = r.api_path();
        let id = if let Some(rest) = path.strip_prefix("/interactions/") {
            rest.split('/').next().and_then(|id| id.parse().ok())
        } else if path == format!("/channels/{CHANNEL}/messages") {
            r.body.as_ref().and_then(|b| {
                b["message_reference"]["message_id"]
                    .as_str()
                    .and_then(|id| id.parse().ok())
            })
        } else {
            None
        };
        if let Some(id) = id {
            replies.entry(id).or_insert(r.at);
        }
    }
    replies
}

fn merge(into: &mut HashMap<Kind, Latencies>, from: HashMap<Kind, Latencies>) {
    for (kind, latencies) in from {
        into.entry(kind).or_default().extend(&latencies);
    }
}

/// What a process has used so far, all its threads together, from `/proc` (Linux).
#[derive(Debug, Default, Clone, Copy)]
struct Usage {
    user: Duration,
    system: Duration,
    minor_faults: u64,
    voluntary_switches: u64,
    involuntary_switches: u64,
}

impl Usage {
    /// Reads the process `pid`'s usage, or `None` where `/proc` does not tell.
    fn of(pid: u32) -> Option<Usage> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // Fields after the command name, which may hold spaces, closed by the last ')'.
        let fields: Vec<&str> = stat[stat.rfind(')')? + 1..].split_whitespace().collect();
        let field = |n: usize| fields.get(n - 3)?.parse::<u64>().ok();
        // Linux counts CPU time in USER_HZ, 100 a second on every architecture it ships.
        let ticks = |n: u64| Duration::from_millis(n * 10);
        let mut usage = Usage {
            user: ticks(field(14)?),
            system: ticks(field(15)?),
            minor_faults: field(10)?,
            ..Usage::default()
        };
        for task in std::fs::read_dir(format!("/proc/{pid}/task"))
            .ok()?
            .flatten()
        {
            let Ok(status) = std::fs::read_to_string(task.path().join("status")) else {
                continue;
            };
            for line in status.lines() {
                let count = |prefix: &str| {
                    line.strip_prefix(prefix)
                        .and_then(|n| n.trim().parse::<u64>().ok())
                };
                if let Some(n) = count("voluntary_ctxt_switches:") {
                    usage.voluntary_switches += n;
                } else if let Some(n) = count("nonvoluntary_ctxt_switches:") {
                    usage.involuntary_switches += n;
                }
            }
        }
        Some(usage)
    }

    /// A table row: what was used between `self` and `later`, per event.
    fn row_until(self, later: Usage, events: usize) -> String {
        let per = |n: u64| n as f64 / events as f64;
        let cpu = |d: Duration| d.as_secs_f64() * 1e6 / events as f64;
        format!(
            "{:.0} µs | {:.0} µs | {:.2} | {:.2} | {:.2}",
            cpu(later.user.saturating_sub(self.user)),
            cpu(later.system.saturating_sub(self.system)),
            per(later.minor_faults.saturating_sub(self.minor_faults)),
            per(later
                .voluntary_switches
                .saturating_sub(self.voluntary_switches)),
            per(later
                .involuntary_switches
                .saturating_sub(self.involuntary_switches)),
        )
    }
}
