//! The `natrium` binary: parses the command line, runs it, and turns an error into one
//! line on stderr and exit code 1.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = natrium_cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("natrium: error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(natrium_cli::run(cli)) {
        Ok(code) => code,
        // Like a program killed by SIGPIPE: the reader went away, nothing to report.
        Err(e) if e.is_broken_pipe() => ExitCode::from(141),
        Err(e) => {
            eprintln!("natrium: error: {e}");
            ExitCode::FAILURE
        }
    }
}
