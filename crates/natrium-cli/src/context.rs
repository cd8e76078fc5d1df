//! Named contexts: saved connection settings, one JSON file per context under
//! `<config dir>/natrium/context/NAME.json`, the selected one named in
//! `<config dir>/natrium/context.txt` (the `nats` CLI's layout under its own directory).
//! `NATRIUM_CONFIG_DIR` replaces `<config dir>/natrium`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::Error;

/// One saved context. Field names follow the `nats` CLI's context files.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Context {
    /// A note for people.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Comma-separated server URLs.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// Username.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub user: String,
    /// Password.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub password: String,
    /// Token.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub token: String,
    /// Credentials file.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub creds: String,
    /// NKEY seed file.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub nkey: String,
    /// TLS client certificate.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cert: String,
    /// TLS client key.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
    /// TLS CA chain.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ca: String,
    /// TLS before the server greeting.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tls_first: bool,
    /// Default `--timeout`, Go duration text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub timeout: String,
}

/// The directory holding contexts.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    /// The store in `NATRIUM_CONFIG_DIR`, or `natrium` under the user's config directory.
    pub fn open() -> Result<Self, Error> {
        if let Some(dir) = std::env::var_os("NATRIUM_CONFIG_DIR") {
            return Ok(Self { root: dir.into() });
        }
        let base = dirs::config_dir().ok_or_else(|| {
            Error::Usage("cannot find the user's config directory; set NATRIUM_CONFIG_DIR".into())
        })?;
        Ok(Self {
            root: base.join("natrium"),
        })
    }

    /// A store rooted at `root` (tests, or an explicit directory).
    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn file(&self, name: &str) -> Result<PathBuf, Error> {
        check_name(name)?;
        Ok(self.root.join("context").join(format!("{name}.json")))
    }

    /// The context called `name`.
    pub fn load(&self, name: &str) -> Result<Context, Error> {
        let path = self.file(name)?;
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Usage(format!("unknown context {name:?}")))
            }
            Err(e) => return Err(Error::io(path.display().to_string(), e)),
        };
        serde_json::from_str(&text).map_err(|e| Error::json(path.display().to_string(), e))
    }

    /// Whether a context called `name` exists.
    pub fn exists(&self, name: &str) -> bool {
        self.file(name).map(|p| p.is_file()).unwrap_or(false)
    }

    /// Writes `ctx` as `name`, readable by the owner only (it may hold a password).
    pub fn save(&self, name: &str, ctx: &Context) -> Result<(), Error> {
        let path = self.file(name)?;
        let body = serde_json::to_vec_pretty(ctx).map_err(|e| Error::json(name, e))?;
        write_private(&path, &body)
    }

    /// Names of all contexts, sorted.
    pub fn list(&self) -> Result<Vec<String>, Error> {
        let dir = self.root.join("context");
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(dir.display().to_string(), e)),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(dir.display().to_string(), e))?;
            let file_name = entry.file_name();
            let Some(name) = file_name.to_str().and_then(|n| n.strip_suffix(".json")) else {
                continue;
            };
            if check_name(name).is_ok() {
                names.push(name.to_owned());
            }
        }
        names.sort();
        Ok(names)
    }

    /// Deletes the context `name`; unselects it if it was selected.
    pub fn remove(&self, name: &str) -> Result<(), Error> {
        let path = self.file(name)?;
        std::fs::remove_file(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Usage(format!("unknown context {name:?}")),
            _ => Error::io(path.display().to_string(), e),
        })?;
        if self.selected()?.as_deref() == Some(name) {
            let sel = self.root.join("context.txt");
            std::fs::remove_file(&sel).map_err(|e| Error::io(sel.display().to_string(), e))?;
        }
        Ok(())
    }

    /// The selected context's name, if any.
    pub fn selected(&self) -> Result<Option<String>, Error> {
        let path = self.root.join("context.txt");
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let name = text.trim();
                Ok((!name.is_empty()).then(|| name.to_owned()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(path.display().to_string(), e)),
        }
    }

    /// Makes `name` the selected context; it must exist.
    pub fn select(&self, name: &str) -> Result<(), Error> {
        if !self.exists(name) {
            return Err(Error::Usage(format!("unknown context {name:?}")));
        }
        write_private(&self.root.join("context.txt"), name.as_bytes())
    }
}

/// Context names become file names: letters, digits, `-`, `_`, `.`, not starting with `.`.
fn check_name(name: &str) -> Result<(), Error> {
    let ok = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "invalid context name {name:?}: use letters, digits, '-', '_' and '.'"
        )))
    }
}

fn write_private(path: &Path, body: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let err = |e| Error::io(path.display().to_string(), e);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(err)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(err)?;
    file.write_all(body).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_list_select_remove() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        assert!(store.list().unwrap().is_empty());
        let ctx = Context {
            url: "nats://a:4222".into(),
            user: "u".into(),
            ..Context::default()
        };
        store.save("dev", &ctx).unwrap();
        assert_eq!(store.load("dev").unwrap(), ctx);
        assert_eq!(store.list().unwrap(), vec!["dev".to_owned()]);
        store.select("dev").unwrap();
        assert_eq!(store.selected().unwrap().as_deref(), Some("dev"));
        assert!(store.select("nope").is_err());
        store.remove("dev").unwrap();
        assert_eq!(store.selected().unwrap(), None);
        assert!(store.load("dev").is_err());
    }

    #[test]
    fn names_cannot_escape_the_directory() {
        let store = Store::at("/nonexistent");
        assert!(store.load("../x").is_err());
        assert!(store.load("").is_err());
        assert!(store.load(".hidden").is_err());
    }
}
