//! The shipped knowledge's sources, which every server's own entries are merged with. They are
//! needed only when a server's knowledge is built (at start, after a reload, and for each change
//! a moderator makes), yet at 100,000 entries they kept about 100 MB resident beside the 160 MB
//! of knowledge built from them. So once the servers' knowledge is built they are written to a
//! file without a name in the data directory (it goes when the bot does, and nothing else can
//! open it), and read back from it when a change needs them.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::store::StoreError;
use crate::knowledge::source::{ComposerSource, FilmSource, TermSource};
use crate::knowledge::{self, Sources};

/// The shipped sources, in memory until written out, then in their file.
pub(super) struct ShippedSources {
    home: Mutex<Home>,
}

enum Home {
    Memory(Arc<Sources>),
    /// What [`Written`] wrote; the sources, which built, had no problems and no server entries.
    File(File),
}

/// The sources as written: only what a merge reads back.
#[derive(Serialize)]
struct Written<'a> {
    films: &'a [(String, PathBuf, FilmSource)],
    composers: &'a [(String, PathBuf, ComposerSource)],
    terms: &'a [(String, PathBuf, TermSource)],
}

#[derive(Deserialize)]
struct ReadBack {
    films: Vec<(String, PathBuf, FilmSource)>,
    composers: Vec<(String, PathBuf, ComposerSource)>,
    terms: Vec<(String, PathBuf, TermSource)>,
}

impl ShippedSources {
    /// Keeps `sources` in memory, until [`ShippedSources::write_out`].
    pub(super) fn new(sources: Sources) -> ShippedSources {
        ShippedSources::shared(Arc::new(sources))
    }

    /// Keeps `sources`, which the caller shares until it is done with them, until
    /// [`ShippedSources::write_out`].
    pub(super) fn shared(sources: Arc<Sources>) -> ShippedSources {
        ShippedSources {
            home: Mutex::new(Home::Memory(sources)),
        }
    }

    /// The sources: those in memory, or read back from their file.
    pub(super) fn get(&self) -> Result<Arc<Sources>, StoreError> {
        let mut home = self.home.lock().unwrap_or_else(|p| p.into_inner());
        let file = match &mut *home {
            Home::Memory(sources) => return Ok(sources.clone()),
            Home::File(file) => file,
        };
        let failed = StoreError::ShippedSources;
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(0)).map_err(failed)?;
        file.read_to_end(&mut bytes).map_err(failed)?;
        drop(home);
        let read: ReadBack =
            rmp_serde::from_slice(&bytes).map_err(|error| failed(std::io::Error::other(error)))?;
        Ok(Arc::new(Sources {
            films: read.films,
            composers: read.composers,
            terms: read.terms,
            ..Sources::default()
        }))
    }

    /// Writes the sources to a file without a name in `dir` and frees them; keeps them in
    /// memory, and says why, if that cannot be done.
    pub(super) fn write_out(&self, dir: &Path) {
        let mut home = self.home.lock().unwrap_or_else(|p| p.into_inner());
        let Home::Memory(sources) = &*home else {
            return;
        };
        match write(sources, dir) {
            Ok(file) => {
                let spent = std::mem::replace(&mut *home, Home::File(file));
                // Freed outside the lock: at 100,000 entries they are about 100 MB.
                drop(home);
                knowledge::release(Some(spent));
            }
            Err(error) => tracing::warn!(
                "cannot write the shipped knowledge's sources to {}: {error}; they stay in memory",
                dir.display()
            ),
        }
    }
}

fn write(sources: &Sources, dir: &Path) -> std::io::Result<File> {
    std::fs::create_dir_all(dir)?;
    let file = tempfile::tempfile_in(dir)?;
    let mut out = BufWriter::new(&file);
    let written = Written {
        films: &sources.films,
        composers: &sources.composers,
        terms: &sources.terms,
    };
    // Fields by name: the sources leave out empty optional fields when written.
    written
        .serialize(&mut rmp_serde::Serializer::new(&mut out).with_struct_map())
        .map_err(std::io::Error::other)?;
    out.flush()?;
    drop(out);
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_written_out_read_back_the_same() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        let sources = knowledge::read_dir(&dir).expect("the shipped knowledge reads");
        let expected = format!("{:?}", (&sources.films, &sources.composers, &sources.terms));
        let data = tempfile::tempdir().expect("temp dir");
        let kept = ShippedSources::new(sources);
        kept.write_out(data.path());
        assert!(matches!(
            &*kept.home.lock().expect("not poisoned"),
            Home::File(_)
        ));
        for _ in 0..2 {
            let back = kept.get().expect("read back");
            // Lines and columns too: a problem in a merge points where it would in the file.
            assert_eq!(
                format!("{:?}", (&back.films, &back.composers, &back.terms)),
                expected
            );
        }
        // Nothing named is left in the data directory.
        assert_eq!(
            std::fs::read_dir(data.path()).expect("lists").count(),
            0,
            "the file has no name"
        );
    }

    #[test]
    fn sources_that_cannot_be_written_out_stay_in_memory() {
        let data = tempfile::tempdir().expect("temp dir");
        let not_a_dir = data.path().join("file");
        std::fs::write(&not_a_dir, "").expect("written");
        let kept = ShippedSources::new(Sources::default());
        kept.write_out(&not_a_dir);
        assert!(matches!(
            &*kept.home.lock().expect("not poisoned"),
            Home::Memory(_)
        ));
        assert!(kept.get().is_ok());
    }
}
