//! The `opsdesk` binary: parse the command line, load settings, run the chosen command.

use clap::Parser;
use opsdesk::cli::{self, Cli, Cmd};
use opsdesk::config::Settings;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    opsdesk::telemetry::install_tls_provider();
    let quiet = matches!(
        cli.cmd,
        Cmd::Ask { .. } | Cmd::Triage(_) | Cmd::Kb { .. } | Cmd::Finance { .. }
    );
    let settings = Settings::load(&cli.config);
    let json = settings
        .as_ref()
        .is_ok_and(|s| s.log.format == opsdesk::config::LogFormat::Json);
    opsdesk::telemetry::init(if quiet { "warn" } else { "opsdesk=info,warn" }, json);
    match run(cli, settings).await {
        Ok(()) => ExitCode::SUCCESS,
        // `opsdesk triage eval | head`: the reader has all it wanted; that is not a failure.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(
    cli: Cli,
    settings: Result<Settings, opsdesk::config::ConfigError>,
) -> anyhow::Result<()> {
    let settings = settings?;
    match &cli.cmd {
        Cmd::Run {
            http,
            console,
            no_console,
        } => {
            let console = match (*console, *no_console) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            };
            cli::run::run(settings, http.clone(), console).await?;
            // The console's stdin reader may still be parked in a blocking read that a runtime
            // shutdown would wait for: everything is stopped and flushed, so leave now.
            std::process::exit(0)
        }
        Cmd::Ask { text, json } => cli::ask::run(settings, text, *json).await,
        Cmd::Triage(a) => cli::triage::run(&settings, a).await,
        Cmd::Kb { cmd } => cli::kb::run(&settings, cmd).await,
        Cmd::Finance { cmd } => cli::finance::run(&settings, cmd).await,
        Cmd::Migrate => {
            let store = opsdesk::app::open_store(&settings, &settings.store.url).await?;
            println!("database migrated ({:?})", store.kind());
            Ok(())
        }
        Cmd::Doctor => cli::doctor::run(&settings).await,
    }
}
