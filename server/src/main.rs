//! The `parcours` binary: parse the command line, then serve or migrate.
#![forbid(unsafe_code)]

use clap::Parser;
use parcours_server::config::{Cli, Command};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    parcours_server::telemetry::init(&cli.log);
    match cli.command.unwrap_or_default() {
        Command::Serve(config) => parcours_server::serve(*config).await,
        Command::Migrate(db) => parcours_server::migrate(db).await,
        Command::HaproxyConfig(args) => {
            print!(
                "{}",
                parcours_server::cluster::haproxy_config(&args.listen, &args.nodes)
            );
            Ok(())
        }
    }
}
