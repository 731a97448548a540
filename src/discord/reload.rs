//! Picking up knowledge edited on disk without a restart. The directory is watched (not each
//! file: editors and atomic writes replace files, which a watch on the file would miss); a change
//! loads and checks the whole directory again, and only a good load replaces what is served.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::State;
use crate::knowledge;

/// Keeps the watch alive while held.
pub struct Watch {
    _debouncer: Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>,
}

/// Watches `dir` and reloads the knowledge in `state` when it changes.
pub fn watch(dir: PathBuf, state: Arc<State>) -> anyhow::Result<Watch> {
    let watched = dir.clone();
    let mut debouncer = new_debouncer(
        Duration::from_millis(300),
        None,
        move |result: DebounceEventResult| match result {
            Ok(events) => {
                let changed = events.iter().any(|event| {
                    matches!(
                        event.kind,
                        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                    )
                });
                if changed {
                    reload(&watched, &state);
                }
            }
            Err(errors) => {
                for error in errors {
                    tracing::warn!(%error, "watching the knowledge directory");
                }
            }
        },
    )
    .context("starting the knowledge watcher")?;
    debouncer
        .watch(&dir, RecursiveMode::Recursive)
        .with_context(|| format!("watching {}", dir.display()))?;
    Ok(Watch {
        _debouncer: debouncer,
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
