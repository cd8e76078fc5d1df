//! `natrium context add/ls/select/rm/info`.

use clap::{Args, Subcommand};

use crate::cli::ConnArgs;
use crate::context::{Context, Store};
use crate::output::Table;
use crate::prompt::confirm;
use crate::Error;

/// Context commands.
#[derive(Debug, Subcommand)]
pub enum ContextCmd {
    /// Create or update a context from the connection flags given
    #[command(alias = "create", alias = "save")]
    Add(AddArgs),
    /// List contexts
    #[command(alias = "list")]
    Ls {
        /// JSON output
        #[arg(short = 'j', long)]
        json: bool,
        /// Names only
        #[arg(long)]
        names: bool,
    },
    /// Select the default context
    #[command(alias = "switch", alias = "set")]
    Select {
        /// Context name
        name: String,
    },
    /// Remove a context
    #[command(alias = "remove")]
    Rm {
        /// Context name
        name: String,
        /// Remove without asking
        #[arg(short = 'f', long)]
        force: bool,
    },
    /// Show a context (the selected one by default)
    #[command(alias = "show")]
    Info {
        /// Context name
        name: Option<String>,
        /// JSON output
        #[arg(short = 'j', long)]
        json: bool,
    },
}

/// `context add` flags.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// Context name
    pub name: String,
    /// A description
    #[arg(long)]
    pub description: Option<String>,
    /// Select it as the default
    #[arg(long)]
    pub select: bool,
}

fn path_text(p: &Option<std::path::PathBuf>) -> Option<String> {
    p.as_ref().map(|p| p.display().to_string())
}

/// Runs a context command.
pub fn run(conn: &ConnArgs, cmd: ContextCmd) -> Result<(), Error> {
    let store = Store::open()?;
    match cmd {
        ContextCmd::Add(a) => {
            let mut ctx = if store.exists(&a.name) {
                store.load(&a.name)?
            } else {
                Context::default()
            };
            let set = |field: &mut String, value: Option<String>| {
                if let Some(v) = value {
                    *field = v;
                }
            };
            set(&mut ctx.description, a.description);
            set(&mut ctx.url, conn.server.clone());
            set(&mut ctx.user, conn.user.clone());
            set(&mut ctx.password, conn.password.clone());
            set(&mut ctx.token, conn.token.clone());
            set(&mut ctx.creds, path_text(&conn.creds));
            set(&mut ctx.nkey, path_text(&conn.nkey));
            set(&mut ctx.cert, path_text(&conn.tlscert));
            set(&mut ctx.key, path_text(&conn.tlskey));
            set(&mut ctx.ca, path_text(&conn.tlsca));
            set(&mut ctx.timeout, conn.timeout.map(crate::units::format));
            ctx.tls_first |= conn.tlsfirst;
            store.save(&a.name, &ctx)?;
            if a.select {
                store.select(&a.name)?;
            }
            outln!("Saved context {:?}", a.name);
            Ok(())
        }
        ContextCmd::Ls { json, names } => {
            let all = store.list()?;
            let selected = store.selected()?;
            if json {
                let text = serde_json::to_string(&all).map_err(|e| Error::json("contexts", e))?;
                outln!("{text}");
            } else if names {
                for n in all {
                    outln!("{n}");
                }
            } else if all.is_empty() {
                outln!("No contexts defined");
            } else {
                let mut table = Table::new("Known Contexts", &["Name", "Description"]);
                for name in all {
                    let ctx = store.load(&name)?;
                    let marker = if selected.as_deref() == Some(name.as_str()) {
                        "*"
                    } else {
                        ""
                    };
                    table.row(vec![format!("{name}{marker}"), ctx.description]);
                }
                out!("{}", table.render());
            }
            Ok(())
        }
        ContextCmd::Select { name } => {
            store.select(&name)?;
            outln!("Selected context {name:?}");
            Ok(())
        }
        ContextCmd::Rm { name, force } => {
            if !store.exists(&name) {
                return Err(Error::Usage(format!("unknown context {name:?}")));
            }
            confirm(force, &format!("Really delete context {name:?}"))?;
            store.remove(&name)?;
            outln!("Removed context {name:?}");
            Ok(())
        }
        ContextCmd::Info { name, json } => {
            let name = match name.or(store.selected()?) {
                Some(n) => n,
                None => return Err(Error::Usage("no context selected or named".into())),
            };
            let mut ctx = store.load(&name)?;
            if !ctx.password.is_empty() {
                ctx.password = "*********".into();
            }
            if !ctx.token.is_empty() {
                ctx.token = "*********".into();
            }
            if json {
                let text =
                    serde_json::to_string_pretty(&ctx).map_err(|e| Error::json("context", e))?;
                outln!("{text}");
            } else {
                let mut s = crate::output::Section::new();
                s.add("Name", &name);
                s.add("Description", &ctx.description);
                s.add("Server URLs", &ctx.url);
                s.add("Username", &ctx.user);
                s.add("Password", &ctx.password);
                s.add("Token", &ctx.token);
                s.add("Credentials", &ctx.creds);
                s.add("NKey", &ctx.nkey);
                outln!("NATS Configuration Context {name:?}\n");
                out!("{}", s.render());
            }
            Ok(())
        }
    }
}
