//! Picking up knowledge edited on disk without a restart. The directory is watched (not each
//! file: editors and atomic writes replace files, which a watch on the file would miss); once
//! changes have stopped for a moment, the whole directory is loaded and checked again, and only a
//! good load replaces what is served. Nothing runs while nothing changes: the operating system
//! wakes the watch, and a task on the bot's runtime waits for the changes to settle.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::State;
use crate::knowledge;

/// How long the directory must be quiet before it is read again: saving in an editor, a
/// `git pull` or a copy changes several files in a burst, and one reload should follow it.
const SETTLE: Duration = Duration::from_millis(300);

/// Keeps the watch alive while held.
pub struct Watch {
    _watcher: RecommendedWatcher,
    reloader: JoinHandle<()>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.reloader.abort();
    }
}

/// Watches `dir` and reloads the knowledge in `state` when it changes. Must be called on the
/// bot's runtime, where the reloads are scheduled.
pub fn watch(dir: PathBuf, state: Arc<State>) -> anyhow::Result<Watch> {
    let changed = Arc::new(Notify::new());
    let mut watcher = notify::recommended_watcher({
        let changed = changed.clone();
        move |result: notify::Result<notify::Event>| match result {
            Ok(event) => {
                if matches!(
                    event.kind,
                    EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                ) {
                    changed.notify_one();
                }
            }
            Err(error) => tracing::warn!(%error, "watching the knowledge directory"),
        }
    })
    .context("starting the knowledge watcher")?;
    watcher
        .watch(&dir, RecursiveMode::Recursive)
        .with_context(|| format!("watching {}", dir.display()))?;
    let reloader = tokio::spawn(async move {
        loop {
            changed.notified().await;
            while tokio::time::timeout(SETTLE, changed.notified())
                .await
                .is_ok()
            {}
            let (dir, state) = (dir.clone(), state.clone());
            // Reading and checking the files blocks; the runtime's threads answer meanwhile.
            if let Err(error) = tokio::task::spawn_blocking(move || reload(&dir, &state)).await {
                tracing::error!(%error, "reloading the knowledge stopped");
            }
        }
    });
    Ok(Watch {
        _watcher: watcher,
        reloader,
    })
}

/// Reads the knowledge directory `dir` through the parse cache in `data_dir`, and logs what the
/// cache saved.
pub fn read_knowledge(
    dir: &std::path::Path,
    data_dir: &std::path::Path,
) -> Result<knowledge::Sources, knowledge::LoadError> {
    let cache = crate::curation::store::knowledge_cache(data_dir);
    let (sources, report) = knowledge::read_dir_cached(dir, &cache)?;
    tracing::info!(
        from_cache = report.from_cache,
        parsed = report.parsed,
        "knowledge files read"
    );
    if let Some(error) = report.write_error {
        tracing::warn!(
            "cannot write the knowledge cache {}: {error}; unchanged files are parsed again at the next start",
            cache.display()
        );
    }
    Ok(sources)
}

/// Loads the knowledge again; on failure, says why and keeps serving what was loaded before.
pub fn reload(dir: &std::path::Path, state: &State) {
    let result = read_knowledge(dir, state.curator().data_dir())
        .map_err(|error| error.to_string())
        .and_then(|sources| {
            state
                .curator()
                .replace_shipped(sources)
                .map_err(|problems| knowledge::LoadError::Invalid(problems).to_string())
        });
    match result {
        Ok(()) => {
            let knowledge = state.knowledge(None);
            tracing::info!(
                films = knowledge.films().len(),
                composers = knowledge.composers().len(),
                terms = knowledge.terms().len(),
                "knowledge reloaded"
            );
        }
        Err(error) => {
            tracing::error!("knowledge not reloaded; still serving the last good version. {error}");
        }
    }
}
