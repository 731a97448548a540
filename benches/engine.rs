//! The paths every message and keystroke takes, timed call by call: answering a question,
//! autocomplete, "did you mean", and the screen that lets ordinary chat go by. Each runs on the
//! shipped knowledge and on synthetic knowledge of 10,000 and 100,000 entries (the shipped
//! entries plus generated ones), and the top-1 accuracy of autocomplete and "did you mean" on a
//! fixed list of misspelt and partial names is reported beside the timings.
//!
//! criterion reports means; the budgets are percentiles, so the first part of this benchmark
//! times every call itself and prints p50/p90/p99 tables (in BENCHMARKS.md's format); the
//! criterion part that follows keeps means comparable from run to run. The questions repeat
//! round after round, so most rows measure an engine that has seen them; the "first sight" stage
//! parses each once on a fresh engine, as a bot that has just started does, and the "cold caches"
//! stages take each question once after pushing everything out of the processor's caches, as
//! they are when a message wakes the bot (what the end-to-end benchmark's bot pays).
//!
//! `cargo bench --bench engine` (all of it), `cargo bench --bench engine -- --test` (a quick
//! check that it runs, on the shipped knowledge only).

mod support;

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use leitmotif::answer::Answer;
use leitmotif::engine::Engine;
use leitmotif::knowledge::{EntryRef, Kind, Knowledge, Resolution};
use leitmotif::question::might_be_question;

use support::{CELLS_HEADER, Latencies, NameCase, fmt, synth, time_each};

/// What Discord shows at most, and what the bot asks for.
const CHOICES: usize = 25;
/// Synthetic names added to the fixed list at the larger sizes, so lookups also hit the
/// generated part of the knowledge.
const SYNTHETIC_NAMES: usize = 300;

/// One knowledge base to measure on, with the inputs that suit it.
struct Setup {
    label: String,
    knowledge: Knowledge,
    /// (kind, what has been typed so far) for autocomplete.
    partials: Vec<(Kind, String)>,
    /// (kind, misspelt name) for "did you mean".
    misspelt: Vec<(Kind, String)>,
}

fn main() {
    let quick = support::quick();
    println!("machine: {}", support::machine());
    let engine = Engine::new("/");
    let questions = support::questions();
    let names = support::names();
    let chat = support::chat();

    let mut setups = Vec::new();
    let shipped = support::shipped();
    let label = format!("shipped ({} entries)", shipped.len());
    setups.push(setup(label, shipped, &names, false));
    {
        for total in support::synthetic_sizes(quick) {
            let start = Instant::now();
            let knowledge = support::synthetic(total);
            println!(
                "synthetic knowledge of {} entries generated, parsed and built in {}",
                knowledge.len(),
                fmt(start.elapsed())
            );
            setups.push(setup(format!("{total} entries"), knowledge, &names, true));
        }
    }
    if let Some(path) = std::env::var_os("LEITMOTIF_BENCH_DUMP") {
        dump(Path::new(&path), &engine, &setups, &questions);
        return;
    }
    let rounds = |setup: &Setup| match (quick, setup.knowledge.len()) {
        (true, _) => 1,
        (false, n) if n < 1_000 => 20,
        (false, n) if n < 50_000 => 10,
        _ => 5,
    };

    println!(
        "\n## Answering {} questions (parse + look up + render)\n",
        questions.len()
    );
    println!(
        "| knowledge | samples | {CELLS_HEADER} | answered (of which a typo forgiven) | did you mean | don't know | not film music, or help |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for s in &setups {
        let latencies = time_each(&questions, rounds(s), |q| engine.ask(&s.knowledge, q));
        let outcomes = Outcomes::of(
            questions
                .iter()
                .map(|q| engine.understand(&s.knowledge, q).1),
        );
        println!(
            "| {} | {} | {} | {} ({}) | {} | {} | {} |",
            s.label,
            latencies.len(),
            latencies.cells(),
            outcomes.answered,
            outcomes.forgiven,
            outcomes.suggested,
            outcomes.unknown,
            outcomes.other,
        );
        for (i, median) in latencies.slowest(questions.len(), 10) {
            eprintln!(
                "  {}: slow question {:?}: {}",
                s.label,
                questions[i],
                fmt(median)
            );
        }
    }

    println!("\nBy stage (each timed on its own, over the same questions):\n");
    println!("| knowledge | stage | {CELLS_HEADER} |");
    println!("|---|---|---|---|---|---|---|");
    for s in &setups {
        let k = &s.knowledge;
        let answers: Vec<Answer> = questions
            .iter()
            .map(|q| engine.understand(k, q).1)
            .collect();
        // What a freshly started bot pays: each question once, on an engine that has parsed
        // nothing (the template automaton builds its states as questions come).
        let fresh = Engine::new("/");
        let mut first_sight = Latencies::with_capacity(questions.len());
        for question in &questions {
            let start = Instant::now();
            std::hint::black_box(fresh.parse(std::hint::black_box(question)));
            first_sight.push(start.elapsed());
        }
        // What a bot woken by a message pays: between two messages the processor ran other
        // work, so the engine's code and data are no longer in its caches.
        let cold_parser = Engine::new("/");
        let cold_parse = cold(&questions, |q| cold_parser.parse(q));
        let cold_engine = Engine::new("/");
        let cold_answer = cold(&questions, |q| cold_engine.ask(k, q));
        let stages = [
            (
                "parse, first sight (a fresh engine, each question once)",
                first_sight,
            ),
            (
                "parse, cold caches (a fresh engine, each question once)",
                cold_parse,
            ),
            (
                "answer, cold caches (a fresh engine, each question once)",
                cold_answer,
            ),
            (
                "parse",
                time_each(&questions, rounds(s), |q| engine.parse(q)),
            ),
            (
                "parse + look up",
                time_each(&questions, rounds(s), |q| engine.understand(k, q)),
            ),
            (
                "render",
                time_each(&answers, rounds(s), |a| engine.render(k, a)),
            ),
        ];
        for (stage, latencies) in stages {
            println!("| {} | {stage} | {} |", s.label, latencies.cells());
            for (i, median) in latencies.slowest(questions.len(), 3) {
                eprintln!(
                    "  {}: slow {stage} {:?}: {}",
                    s.label,
                    questions[i],
                    fmt(median)
                );
            }
        }
    }

    println!("\n## Autocomplete: top {CHOICES} for 1 to 12 typed characters, typos included\n");
    println!("| knowledge | inputs | {CELLS_HEADER} |");
    println!("|---|---|---|---|---|---|---|");
    for s in &setups {
        let latencies = time_each(&s.partials, rounds(s), |(kind, typed)| {
            autocomplete(&s.knowledge, *kind, typed)
        });
        report_names(&s.label, "autocomplete", &s.partials, &latencies);
    }

    println!("\n## \"Did you mean\": resolving a misspelt name\n");
    println!("| knowledge | inputs | {CELLS_HEADER} |");
    println!("|---|---|---|---|---|---|---|");
    for s in &setups {
        let latencies = time_each(&s.misspelt, rounds(s), |(kind, typed)| {
            s.knowledge.resolve(typed, &[*kind])
        });
        report_names(&s.label, "did-you-mean", &s.misspelt, &latencies);
    }

    println!("\n## Top-1 accuracy on the fixed list (benches/data/names.txt)\n");
    println!(
        "| knowledge | autocomplete, partial | autocomplete, typo'd | did you mean, typo'd | wrong entry answered |"
    );
    println!("|---|---|---|---|---|");
    for s in &setups {
        accuracy(s, &names);
    }

    println!("\n## Screening ordinary chat ({} messages)\n", chat.len());
    screening(&engine, &setups, &chat, quick);

    let mut c = Criterion::default().configure_from_args();
    criterion_benches(&mut c, &engine, &setups, &questions, &chat);
    c.final_summary();
}

/// Times `f` once on each input, each time after pushing the processor's caches out (by writing
/// over a buffer twice the size of the largest), as they are when a message wakes the bot.
fn cold<T, R>(inputs: &[T], mut f: impl FnMut(&T) -> R) -> Latencies {
    const EVICT: usize = 64 << 20;
    const LINE: usize = 64;
    let mut buffer = vec![0u8; EVICT];
    let mut latencies = Latencies::with_capacity(inputs.len());
    for input in inputs {
        for i in (0..EVICT).step_by(LINE) {
            buffer[i] = buffer[i].wrapping_add(1);
        }
        std::hint::black_box(&mut buffer);
        let start = Instant::now();
        std::hint::black_box(f(std::hint::black_box(input)));
        latencies.push(start.elapsed());
    }
    latencies
}

/// Writes what every input gives (answers and replies, autocomplete lists, resolutions) to
/// `path`, so the output of two versions can be compared with `diff`: an optimisation must leave
/// it unchanged. `LEITMOTIF_BENCH_DUMP=/tmp/before.txt cargo bench --bench engine`, change the
/// code, run again into another file, and diff the two.
fn dump(path: &Path, engine: &Engine, setups: &[Setup], questions: &[String]) {
    let mut out = String::new();
    for s in setups {
        let k = &s.knowledge;
        for q in questions {
            let exchange = engine.ask(k, q);
            let _ = writeln!(
                out,
                "{}\task {q:?}\n{:?}\n{:?}",
                s.label, exchange.answer, exchange.reply
            );
        }
        for (kind, typed) in &s.partials {
            let ids: Vec<&str> = k
                .complete(*kind, typed, CHOICES)
                .into_iter()
                .map(|e| k.id(e))
                .collect();
            let _ = writeln!(out, "{}\tcomplete {kind:?} {typed:?}: {ids:?}", s.label);
        }
        for (kind, typed) in s.partials.iter().chain(&s.misspelt) {
            for kinds in [&[*kind][..], &Kind::ALL[..]] {
                let _ = writeln!(
                    out,
                    "{}\tresolve {kinds:?} {typed:?}: {:?}",
                    s.label,
                    k.resolve(typed, kinds)
                );
            }
        }
    }
    std::fs::write(path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    println!("wrote {}", path.display());
}

fn setup(label: String, knowledge: Knowledge, names: &[NameCase], synthetic: bool) -> Setup {
    let mut typed: Vec<(Kind, String, bool)> = names
        .iter()
        .map(|n| (n.kind, n.typed.clone(), n.typo))
        .collect();
    if synthetic {
        // Names from the generated part too, half of them misspelt.
        let mut rng = synth::Rng::new(synth::SEED ^ 0xacc);
        for _ in 0..SYNTHETIC_NAMES {
            let (kind, name) = match rng.below(20) {
                0..=14 => {
                    let films = knowledge.films();
                    (Kind::Film, films[rng.below(films.len())].title.clone())
                }
                15..=18 => {
                    let composers = knowledge.composers();
                    (
                        Kind::Composer,
                        composers[rng.below(composers.len())].name.clone(),
                    )
                }
                _ => {
                    let terms = knowledge.terms();
                    (Kind::Term, terms[rng.below(terms.len())].term.clone())
                }
            };
            if rng.percent(50) {
                typed.push((kind, synth::typo(&name, &mut rng), true));
            } else {
                typed.push((kind, name, false));
            }
        }
    }
    // Autocomplete fires on every keystroke: every prefix of 1 to 12 characters.
    let mut partials = Vec::new();
    for (kind, name, _) in &typed {
        let chars: Vec<char> = name.chars().collect();
        for n in 1..=chars.len().min(12) {
            partials.push((*kind, chars[..n].iter().collect()));
        }
    }
    let misspelt = typed
        .into_iter()
        .filter(|(_, _, typo)| *typo)
        .map(|(kind, name, _)| (kind, name))
        .collect();
    Setup {
        label,
        knowledge,
        partials,
        misspelt,
    }
}

/// What the bot's autocomplete handler computes: the entries, then each one's label and id.
fn autocomplete(knowledge: &Knowledge, kind: Kind, typed: &str) -> Vec<(String, String)> {
    knowledge
        .complete(kind, typed, CHOICES)
        .into_iter()
        .map(|entry| (knowledge.label(entry), knowledge.id(entry).to_string()))
        .collect()
}

/// The entry "did you mean" puts first: the one it answered with, or its first suggestion.
fn did_you_mean(knowledge: &Knowledge, kind: Kind, typed: &str) -> (Option<EntryRef>, bool) {
    match knowledge.resolve(typed, &[kind]) {
        Resolution::Found { entry, .. } => (Some(entry), true),
        Resolution::NotFound { suggestions } => (suggestions.first().copied(), false),
    }
}

fn accuracy(s: &Setup, names: &[NameCase]) {
    let k = &s.knowledge;
    let mut partial = (0, 0);
    let mut typo = (0, 0);
    let mut dym = (0, 0);
    let mut wrong_answers = 0;
    let mut misses = Vec::new();
    for case in names {
        let expected = k
            .by_id(&case.expected)
            .unwrap_or_else(|| panic!("names.txt: no entry {:?}", case.expected));
        let first = k.complete(case.kind, &case.typed, CHOICES).first().copied();
        let hit = first == Some(expected);
        let tally = if case.typo { &mut typo } else { &mut partial };
        tally.0 += usize::from(hit);
        tally.1 += 1;
        if !hit {
            misses.push(format!(
                "autocomplete {:?} -> {}",
                case.typed,
                first.map_or("nothing".into(), |e| k.id(e).to_string())
            ));
        }
        if case.typo {
            let (first, answered) = did_you_mean(k, case.kind, &case.typed);
            let hit = first == Some(expected);
            dym.0 += usize::from(hit);
            dym.1 += 1;
            if answered && !hit {
                wrong_answers += 1;
            }
            if !hit {
                misses.push(format!(
                    "did you mean {:?} -> {}{}",
                    case.typed,
                    first.map_or("nothing".into(), |e| k.id(e).to_string()),
                    if answered { " (answered)" } else { "" }
                ));
            }
        }
    }
    let pct = |(hit, all): (usize, usize)| {
        format!(
            "{hit}/{all} ({:.1}%)",
            100.0 * hit as f64 / all.max(1) as f64
        )
    };
    println!(
        "| {} | {} | {} | {} | {wrong_answers} |",
        s.label,
        pct(partial),
        pct(typo),
        pct(dym)
    );
    for miss in misses {
        eprintln!("  {}: {miss}", s.label);
    }
}

fn screening(engine: &Engine, setups: &[Setup], chat: &[String], quick: bool) {
    let repeats = if quick { 10 } else { 2_000 };
    // Per message, the mean of many calls: one call is too short to time on its own.
    let mut per_message = Latencies::with_capacity(chat.len());
    let mut total = Duration::ZERO;
    for message in chat {
        let start = Instant::now();
        for _ in 0..repeats {
            std::hint::black_box(might_be_question(std::hint::black_box(message)));
        }
        let elapsed = start.elapsed();
        total += elapsed;
        per_message.push(elapsed / repeats);
    }
    let passed = chat.iter().filter(|m| might_be_question(m)).count();
    println!(
        "`might_be_question`: {} per message on average (max {} for one message); {passed} of {} messages pass to the parser.\n",
        fmt(total / (repeats * chat.len() as u32)),
        fmt(per_message.max()),
        chat.len()
    );

    // What a channel that opted in does with an unaddressed message (src/discord/chat.rs): the
    // screen, then for what passes, a question in words whose names are found for sure.
    println!("| knowledge | whole decision per message, mean | messages answered |");
    println!("|---|---|---|");
    for s in setups {
        let rounds = if quick { 1 } else { 50 };
        let decide =
            |m: &String| might_be_question(m) && engine.answer_unasked(&s.knowledge, m).is_some();
        let answered = chat.iter().filter(|m| decide(m)).count();
        let start = Instant::now();
        for _ in 0..rounds {
            for m in chat {
                std::hint::black_box(decide(std::hint::black_box(m)));
            }
        }
        let mean = start.elapsed() / (rounds * chat.len() as u32);
        println!("| {} | {} | {answered} |", s.label, fmt(mean));
    }
}

/// One row of a table of name lookups, and the slowest inputs on standard error.
fn report_names(label: &str, what: &str, inputs: &[(Kind, String)], latencies: &Latencies) {
    println!("| {label} | {} | {} |", inputs.len(), latencies.cells());
    for (i, median) in latencies.slowest(inputs.len(), 5) {
        eprintln!("  {label}: slow {what} {:?}: {}", inputs[i].1, fmt(median));
    }
}

/// What the answers to a set of questions were.
#[derive(Default)]
struct Outcomes {
    answered: usize,
    forgiven: usize,
    suggested: usize,
    unknown: usize,
    other: usize,
}

impl Outcomes {
    fn of(answers: impl Iterator<Item = Answer>) -> Outcomes {
        let mut outcomes = Outcomes::default();
        for answer in answers {
            match answer {
                Answer::Unknown { suggestions, .. } if suggestions.is_empty() => {
                    outcomes.unknown += 1
                }
                Answer::Unknown { .. } => outcomes.suggested += 1,
                Answer::OutOfScope | Answer::Help => outcomes.other += 1,
                answer => {
                    outcomes.answered += 1;
                    if !answer.is_certain() {
                        outcomes.forgiven += 1;
                    }
                }
            }
        }
        outcomes
    }
}

fn criterion_benches(
    c: &mut Criterion,
    engine: &Engine,
    setups: &[Setup],
    questions: &[String],
    chat: &[String],
) {
    let mut group = c.benchmark_group("answer");
    group.throughput(Throughput::Elements(questions.len() as u64));
    for s in setups {
        group.bench_function(&s.label, |b| {
            b.iter(|| {
                for q in questions {
                    std::hint::black_box(engine.ask(&s.knowledge, q));
                }
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("autocomplete");
    for s in setups {
        group.throughput(Throughput::Elements(s.partials.len() as u64));
        group.bench_function(&s.label, |b| {
            b.iter(|| {
                for (kind, typed) in &s.partials {
                    std::hint::black_box(autocomplete(&s.knowledge, *kind, typed));
                }
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("did_you_mean");
    for s in setups {
        group.throughput(Throughput::Elements(s.misspelt.len() as u64));
        group.bench_function(&s.label, |b| {
            b.iter(|| {
                for (kind, typed) in &s.misspelt {
                    std::hint::black_box(s.knowledge.resolve(typed, &[*kind]));
                }
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("screen");
    group.throughput(Throughput::Elements(chat.len() as u64));
    group.bench_function("might_be_question", |b| {
        b.iter(|| {
            chat.iter()
                .filter(|m| might_be_question(std::hint::black_box(m)))
                .count()
        })
    });
    group.finish();
}
