//! `worker [--queues a,b] [--name NAME]`: serves the named queues (default all).

use std::process::ExitCode;

use ordertrack_shared::config::load_dotenv;
use ordertrack_worker::config::{parse_queues, WorkerConfig};
use tokio::sync::watch;

#[tokio::main]
async fn main() -> ExitCode {
    load_dotenv();
    ordertrack_shared::telemetry::init("info");
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let mut config = WorkerConfig::from_env().map_err(|e| e.to_string())?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        match (args[i].as_str(), args.get(i + 1)) {
            ("--queues", Some(list)) => config.queues = parse_queues(list).map_err(|e| format!("--queues: {e}"))?,
            ("--name", Some(name)) => config.name = name.clone(),
            (other, _) => {
                return Err(format!("unknown argument '{other}'; usage: worker [--queues a,b] [--name NAME]"))
            }
        }
        i += 2;
    }
    let (stop, shutdown) = watch::channel(false);
    tokio::spawn(async move {
        ordertrack_shared::shutdown::signal().await;
        tracing::info!("shutting down: finishing in-flight jobs");
        let _ = stop.send(true);
    });
    ordertrack_worker::run(config, shutdown).await.map_err(|e| e.to_string())
}
